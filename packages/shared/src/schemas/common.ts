import { z } from 'zod';
import { text } from './text.js';

/** A UUID path or body identifier. */
export const Uuid = z.uuid({ error: 'must be a UUID' });

/** An ISO 8601 timestamp as sent on the wire; year 0000 is refused (PostgreSQL has no year zero). */
export const IsoDateTime = z.iso.datetime({ offset: true }).refine((s) => !s.startsWith('0000'), 'the year must be 0001 or later');

/** ISO 4217 currency code, upper case. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

/** The largest value a PostgreSQL `integer` holds: the bound of every integer a client sends. */
export const MAX_INT4 = 2_147_483_647;

/** Integer amount of money in the currency's minor unit. */
export const Cents = z.number().int().min(0).max(MAX_INT4);

/**
 * True when `timeZone` names an IANA time zone this runtime's Intl knows ('UTC' and links such as
 * 'Asia/Calcutta' included). UTC offsets ('+01:00') are not zone names and are refused.
 */
export function isIanaTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time-zone name, e.g. "Europe/Berlin". */
export const IanaTimeZone = text({ max: 64 }).refine(isIanaTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin');

/** `:id`-style path parameter holder. */
export const IdParams = z.object({ id: Uuid });
export const EventIdParams = z.object({ eventId: Uuid });

/** Query parameters shared by every paginated list. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Build the `{ items, page, limit, total }` envelope for a list of `item`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  });
}

/** Stable machine-readable error codes carried in problem+json `code`. */
export const ProblemCode = z.enum([
  'validation_failed',
  'bad_request',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'email_taken',
  'invalid_credentials',
  'seats_unavailable',
  'hold_limit',
  'hold_expired',
  'ticket_limit',
  'not_admitted',
  'not_queued',
  'queue_not_enabled',
  'payment_declined',
  'card_invalid',
  'payment_unavailable',
  'idempotency_conflict',
  'idempotency_key_required',
  'idempotency_in_progress',
  'checkout_in_progress',
  'rate_limited',
  'event_not_on_sale',
  'event_cancelled',
  'order_not_cancellable',
  'ticket_already_used',
  'ticket_forged',
  'ticket_void',
  'payload_too_large',
  'unsupported_media_type',
  'service_unavailable',
  'internal_error',
]);
export type ProblemCode = z.infer<typeof ProblemCode>;

/** RFC 9457 problem details, as every error response carries. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: ProblemCode,
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    unavailableSeatIds: z.array(Uuid).optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;
