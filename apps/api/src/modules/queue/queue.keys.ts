/**
 * Redis keys of the waiting room. Every per-event key carries the hash tag `{eventId}` so one
 * script (queue.scripts.ts) only ever touches one cluster slot.
 *
 * Members are `u:<userId>` for a signed-in visitor (one entry per account) and `s:<sessionId>`
 * for an anonymous one (one entry per browser session).
 */

/** Scores of arrivals before on-sale are random in [0, EARLY_BAND); later ones are EARLY_BAND + a counter. */
export const EARLY_BAND = 1e15;

/** The set of events whose queue (or admitted set) is not empty: what the admission worker visits. */
export const ACTIVE_EVENTS_KEY = 'q:active';

/** Set of events an anonymous session joined (so signing in can move its places to the account). */
export function sessionEventsKey(sessionId: string): string {
  return `q:sess:${sessionId}`;
}

/** Keys of one event's waiting room. */
export function queueKeys(eventId: string) {
  const p = `q:{${eventId}}:`;
  return {
    /** zset member → place (random early band, then arrival counter). */
    queue: `${p}z`,
    /** zset member → last poll (ms, Redis clock): liveness. */
    seen: `${p}seen`,
    /** zset member → admission expiry (ms). */
    admitted: `${p}adm`,
    /** hash member → join time (ms), for the wait-time histogram. */
    joined: `${p}joined`,
    /** string: the arrival counter after on-sale. */
    seq: `${p}seq`,
    /** zset member → when it was passed over or its admission ran out (kept one hour, answers `expired`). */
    gone: `${p}gone`,
    /** hash rate, cap: the live settings the worker reads (seeded from PostgreSQL, set by the admin). */
    settings: `${p}cfg`,
    /** hash tokens, ts: the token bucket of the admission rate. */
    bucket: `${p}bucket`,
    /** hash admittedTotal, waitSumMs, passedOver, measuredRate. */
    stats: `${p}stats`,
    /** hash c:<10 s bucket> admissions, m:<10 s bucket> saturated milliseconds: the measured rate. */
    rateLog: `${p}admlog`,
  };
}
export type QueueKeys = ReturnType<typeof queueKeys>;
