export { fetchQueueEvent, joinQueue, fetchQueueStatus, leaveQueue } from './api/queue-api';
export { useWaitingRoom, type WaitingRoomState } from './hooks/use-waiting-room';
export { WaitingRoomView } from './components/waiting-room-view';
export { forgetStartPosition } from './lib/progress';
