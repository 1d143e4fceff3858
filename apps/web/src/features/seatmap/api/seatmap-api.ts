import { Availability, SeatMap } from '@ticketing/shared';
import { api, apiFetch, ProblemError } from '../../../lib/api-client';

/** GET /events/:id/seatmap (the browser's HTTP cache revalidates it with its ETag). */
export function fetchSeatMap(eventId: string, signal?: AbortSignal): Promise<SeatMap> {
  return api(`/events/${encodeURIComponent(eventId)}/seatmap`, { schema: SeatMap, signal });
}

export type SnapshotResult = { kind: 'not_modified' } | { kind: 'snapshot'; availability: Availability; etag: string | null };

/** GET /events/:id/availability, conditional on the ETag we hold (304 = nothing changed). */
export async function fetchAvailability(eventId: string, etag?: string | null, signal?: AbortSignal): Promise<SnapshotResult> {
  const res = await apiFetch(`/events/${encodeURIComponent(eventId)}/availability`, {
    headers: etag ? { 'If-None-Match': etag } : {},
    signal,
  });
  if (res.status === 304) return { kind: 'not_modified' };
  const parsed = Availability.safeParse(await res.json());
  if (!parsed.success) throw new ProblemError({ status: res.status, code: 'invalid_response', title: 'The server sent an unexpected seat status.' });
  return { kind: 'snapshot', availability: parsed.data, etag: res.headers.get('etag') };
}

/** URL of the availability Server-Sent Events stream. */
export function availabilityStreamUrl(eventId: string): string {
  return `/api/v1/events/${encodeURIComponent(eventId)}/availability/stream`;
}
