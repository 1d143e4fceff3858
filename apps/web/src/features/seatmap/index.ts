export { fetchSeatMap, fetchAvailability } from './api/seatmap-api';
export { SeatMapCanvas } from './components/seat-map-canvas';
export { SeatList } from './components/seat-list';
export { SeatLegend } from './components/legend';
export { useSeatLayout, useLiveAvailability } from './hooks/use-seatmap';
export { STATUS } from './lib/availability';
export { describeSeat, type SeatLayout } from './lib/layout';
export type { LiveMode } from './hooks/live-availability';
