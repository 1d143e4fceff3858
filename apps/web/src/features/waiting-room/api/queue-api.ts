import { Event, QueueStatus } from '@ticketing/shared';
import { api } from '../../../lib/api-client';

const path = (eventId: string) => `/events/${encodeURIComponent(eventId)}/queue`;

/** POST /events/:id/queue: join, or get the place this session already holds. */
export function joinQueue(eventId: string, signal?: AbortSignal): Promise<QueueStatus> {
  return api(path(eventId), { method: 'POST', schema: QueueStatus, signal });
}

/** GET /events/:id/queue: the current place (also proves the visitor is still there). */
export function fetchQueueStatus(eventId: string, signal?: AbortSignal): Promise<QueueStatus> {
  return api(path(eventId), { schema: QueueStatus, signal });
}

/** DELETE /events/:id/queue: give the place up. */
export function leaveQueue(eventId: string): Promise<void> {
  return api(path(eventId), { method: 'DELETE' });
}

/** GET /events/:id, for the event's name and date on the waiting-room page. */
export function fetchQueueEvent(eventId: string, signal?: AbortSignal): Promise<Event> {
  return api(`/events/${encodeURIComponent(eventId)}`, { schema: Event, signal });
}
