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

const venueZones = new Map<string, string>();

/**
 * The venue time zone of each event, by event id (GET /events/:id once per event, remembered for
 * the session): orders name their event's start but not its zone. An event that cannot be loaded
 * is left out, and its times fall back to the viewer's clock.
 */
export async function fetchEventTimeZones(eventIds: string[], signal?: AbortSignal): Promise<Record<string, string>> {
  const ids = [...new Set(eventIds)];
  await Promise.all(
    ids
      .filter((id) => !venueZones.has(id))
      .map((id) =>
        fetchEvent(id, signal).then(
          (e) => void venueZones.set(id, e.venue.timezone),
          () => undefined,
        ),
      ),
  );
  return Object.fromEntries(ids.flatMap((id) => (venueZones.has(id) ? [[id, venueZones.get(id)!]] : [])));
}
