import { Event, EventList, type EventListQuery } from '@ticketing/shared';
import { api } from '../../../lib/api-client';

/** GET /events with the given filters. */
export function fetchEvents(query: Partial<EventListQuery>, signal?: AbortSignal): Promise<EventList> {
  return api('/events', { query: query as Record<string, string | number | undefined>, schema: EventList, signal });
}

/** GET /events/:id. */
export function fetchEvent(eventId: string, signal?: AbortSignal): Promise<Event> {
  return api(`/events/${encodeURIComponent(eventId)}`, { schema: Event, signal });
}
