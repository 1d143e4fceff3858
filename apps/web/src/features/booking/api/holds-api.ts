import { Hold, type HoldInput } from '@ticketing/shared';
import { api, isProblem } from '../../../lib/api-client';

/** POST /events/:id/holds (explicit seats or best available). */
export function createHold(eventId: string, body: HoldInput): Promise<Hold> {
  return api(`/events/${encodeURIComponent(eventId)}/holds`, { method: 'POST', body, schema: Hold });
}

/** GET /holds/current?eventId= — null when there is none. */
export async function fetchCurrentHold(eventId: string, signal?: AbortSignal): Promise<Hold | null> {
  try {
    return await api('/holds/current', { query: { eventId }, schema: Hold, signal });
  } catch (e) {
    if (isProblem(e, 'not_found', 'unauthenticated')) return null;
    throw e;
  }
}

/** DELETE /holds/:id. */
export function releaseHold(holdId: string): Promise<void> {
  return api(`/holds/${encodeURIComponent(holdId)}`, { method: 'DELETE' });
}
