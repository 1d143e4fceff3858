import {
  CheckinResult,
  Event,
  EventCancelResult,
  EventList,
  EventStats,
  QueueSettings,
  RefundPendingList,
  Venue,
  VenueList,
  type EventInput,
  type EventListQuery,
  type QueueSettingsInput,
  type VenueInput,
} from '@ticketing/shared';
import { api } from '../../../lib/api-client';

const id = (s: string) => encodeURIComponent(s);

/** GET /venues (admins see the same list as everyone). */
export function fetchVenues(query: { page?: number; limit?: number; city?: string }, signal?: AbortSignal): Promise<VenueList> {
  return api('/venues', { query, schema: VenueList, signal });
}

/** GET /venues/:id with its full section layout. */
export function fetchVenue(venueId: string, signal?: AbortSignal): Promise<Venue> {
  return api(`/venues/${id(venueId)}`, { schema: Venue, signal });
}

/** POST /admin/venues or PUT /admin/venues/:id. */
export function saveVenue(venueId: string | null, body: VenueInput): Promise<Venue> {
  return venueId
    ? api(`/admin/venues/${id(venueId)}`, { method: 'PUT', body, schema: Venue })
    : api('/admin/venues', { method: 'POST', body, schema: Venue });
}

/** GET /admin/events: every event, cancelled and past ones included, uncached. */
export function fetchAdminEvents(query: Partial<EventListQuery>, signal?: AbortSignal): Promise<EventList> {
  return api('/admin/events', { query: query as Record<string, string | number | undefined>, schema: EventList, signal });
}

/** GET /events/:id (the full event with venue and availability counts). */
export function fetchEvent(eventId: string, signal?: AbortSignal): Promise<Event> {
  return api(`/events/${id(eventId)}`, { schema: Event, signal });
}

/** POST /admin/events or PUT /admin/events/:id. */
export function saveEvent(eventId: string | null, body: EventInput): Promise<Event> {
  return eventId
    ? api(`/admin/events/${id(eventId)}`, { method: 'PUT', body, schema: Event })
    : api('/admin/events', { method: 'POST', body, schema: Event });
}

/** POST /admin/events/:id/cancel: cancels and refunds every order (repeatable). */
export function cancelEvent(eventId: string): Promise<EventCancelResult> {
  return api(`/admin/events/${id(eventId)}/cancel`, { method: 'POST', schema: EventCancelResult });
}

/** GET /admin/events/:id/stats: live sales and waiting-room figures. */
export function fetchEventStats(eventId: string, signal?: AbortSignal): Promise<EventStats> {
  return api(`/admin/events/${id(eventId)}/stats`, { schema: EventStats, signal });
}

/** PUT /admin/events/:id/queue: change admission rate / shopper cap live. */
export function updateQueueSettings(eventId: string, body: QueueSettingsInput): Promise<QueueSettings> {
  return api(`/admin/events/${id(eventId)}/queue`, { method: 'PUT', body, schema: QueueSettings });
}

/** POST /admin/checkins: 200 checked in; throws ProblemError 409 ticket_already_used / ticket_void, 400 ticket_forged. */
export function checkIn(code: string): Promise<CheckinResult> {
  return api('/admin/checkins', { method: 'POST', body: { code }, schema: CheckinResult });
}

/** GET /admin/orders/refunds-pending: refunds owed and not yet made, with attempts and the last error. */
export function fetchRefundsPending(signal?: AbortSignal): Promise<RefundPendingList> {
  return api('/admin/orders/refunds-pending', { schema: RefundPendingList, signal });
}
