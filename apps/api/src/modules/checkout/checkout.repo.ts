import type { QueryResultRow } from 'pg';
import { named, type Queryable } from '../../platform/db.js';
import type { OrderReason, OrderState } from '../orders/order-states.js';

/** An order row as checkout sees it. */
export interface OrderRow {
  id: string;
  userId: string;
  eventId: string;
  holdId: string | null;
  idempotencyKey: string;
  requestHash: string;
  status: OrderState;
  totalCents: number;
  currency: string;
  paymentId: string | null;
  failureCode: string | null;
  holdExpiresAt: Date | null;
  updatedAt: Date;
  /** Seconds since the row last changed (by the database clock). */
  ageSeconds: number;
}

export const ORDER_COLUMNS = `id, user_id, event_id, hold_id, idempotency_key, request_hash, status, total_cents, currency, payment_id,
  failure_code, hold_expires_at, updated_at, EXTRACT(EPOCH FROM now() - updated_at)::float8 AS age_seconds`;

export function toOrderRow(r: QueryResultRow): OrderRow {
  return {
    id: r.id,
    userId: r.user_id,
    eventId: r.event_id,
    holdId: r.hold_id,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    status: r.status,
    totalCents: r.total_cents,
    currency: r.currency,
    paymentId: r.payment_id,
    failureCode: r.failure_code,
    holdExpiresAt: r.hold_expires_at,
    updatedAt: r.updated_at,
    ageSeconds: r.age_seconds,
  };
}

export async function findOrderByKey(db: Queryable, userId: string, key: string): Promise<OrderRow | null> {
  const { rows } = await db.query(named('co_order_by_key', `SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = $1 AND idempotency_key = $2`, [userId, key]));
  return rows[0] ? toOrderRow(rows[0]) : null;
}

/**
 * Take an order back to 'pending' for another attempt: a retry after payment_unavailable, or a
 * stale pending order whose process died. Conditional update, so one taker wins.
 */
export async function reclaimOrder(tx: Queryable, orderId: string, staleSeconds: number, totalCents: number, holdExpiresAt: Date): Promise<OrderRow | null> {
  const { rows } = await tx.query(
    `UPDATE orders SET status = 'pending', failure_code = NULL, total_cents = $3, hold_expires_at = COALESCE(hold_expires_at, $4), updated_at = now()
      WHERE id = $1
        AND ((status = 'failed' AND failure_code = 'payment_unavailable')
          OR (status = 'pending' AND failure_code IS NULL AND updated_at < now() - make_interval(secs => $2)))
      RETURNING ${ORDER_COLUMNS}`,
    [orderId, staleSeconds, totalCents, holdExpiresAt],
  );
  return rows[0] ? toOrderRow(rows[0]) : null;
}

/** pending → failed with its reason (declined, card invalid, provider unavailable). */
export async function failOrder(tx: Queryable, orderId: string, failureCode: OrderReason, paymentId: string | null = null): Promise<void> {
  await tx.query(
    named(
      'co_fail_order',
      `UPDATE orders SET status = 'failed', failure_code = $2, payment_id = COALESCE($3, payment_id), updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [orderId, failureCode, paymentId],
    ),
  );
}

/** Record the payment attempt of an order (one row per order; a retry overwrites the attempt). */
export async function upsertPayment(
  tx: Queryable,
  p: { orderId: string; provider: string; providerRef: string | null; amountCents: number; currency: string; status: 'succeeded' | 'declined' | 'failed' | 'refunded'; last4: string | null },
): Promise<void> {
  await tx.query(
    named(
      'co_upsert_payment',
      `INSERT INTO payments (order_id, provider, provider_ref, amount_cents, currency, status, card_last4)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (order_id) DO UPDATE SET provider_ref = COALESCE(EXCLUDED.provider_ref, payments.provider_ref), amount_cents = EXCLUDED.amount_cents,
         status = EXCLUDED.status, card_last4 = EXCLUDED.card_last4, updated_at = now()`,
      [p.orderId, p.provider, p.providerRef, p.amountCents, p.currency, p.status, p.last4],
    ),
  );
}

/** The event and order facts reserve checks after the hold row is locked and its seats counted. */
export interface OrderFacts {
  currency: string | null;
  cancelled: boolean;
  keyTaken: boolean;
  /** Another live order (pending, reconciling, completed) of the hold, other than `exceptOrderId`. */
  liveOrder: boolean;
}

const FACTS_SQL = `SELECT e.currency, COALESCE(e.cancelled_at IS NOT NULL, true) AS cancelled,
         EXISTS (SELECT 1 FROM orders WHERE user_id = $3 AND idempotency_key = $4) AS key_taken,
         EXISTS (SELECT 1 FROM orders WHERE hold_id = $1 AND status IN ('pending', 'reconciling', 'completed') AND id IS DISTINCT FROM $5) AS live_order
    FROM (SELECT 1) one LEFT JOIN events e ON e.id = $2`;

function toFacts(r: QueryResultRow): OrderFacts {
  return { currency: r.currency, cancelled: r.cancelled, keyTaken: r.key_taken, liveOrder: r.live_order };
}

/** Reserve's facts for a retry of `exceptOrderId` (its own row does not count as another live order). */
export async function orderFacts(tx: Queryable, o: { holdId: string; eventId: string; userId: string; key: string; exceptOrderId: string }): Promise<OrderFacts> {
  const { rows } = await tx.query(named('co_order_facts', FACTS_SQL, [o.holdId, o.eventId, o.userId, o.key, o.exceptOrderId]));
  return toFacts(rows[0]);
}

/**
 * A first attempt's key claim in ONE statement, after the hold row was locked and its expiry
 * pushed (seat ledger): the facts, then — only when the event is live, the key unused and the
 * hold has no live order — the pending order for `totalCents`. `order` is null when a check
 * failed or the key was taken meanwhile (the caller maps the facts to the answer and rolls back).
 */
export async function claimOrder(
  tx: Queryable,
  o: { holdId: string; eventId: string; userId: string; key: string; requestHash: string; holdExpiresAt: Date; totalCents: number },
): Promise<OrderFacts & { order: OrderRow | null }> {
  const { rows } = await tx.query(
    named(
      'co_claim_order',
      `WITH f AS (${FACTS_SQL}), ins AS (
         INSERT INTO orders (user_id, event_id, hold_id, idempotency_key, request_hash, status, total_cents, currency, hold_expires_at)
         SELECT $3, $2, $1, $4, $6, 'pending', $8, f.currency, $7 FROM f
          WHERE NOT f.cancelled AND f.currency IS NOT NULL AND NOT f.key_taken AND NOT f.live_order
         ON CONFLICT (user_id, idempotency_key) DO NOTHING
         RETURNING ${ORDER_COLUMNS}
       )
       SELECT f.currency AS facts_currency, f.cancelled, f.key_taken, f.live_order, ins.* FROM f LEFT JOIN ins ON true`,
      [o.holdId, o.eventId, o.userId, o.key, null, o.requestHash, o.holdExpiresAt, o.totalCents],
    ),
  );
  const r = rows[0];
  return { ...toFacts({ ...r, currency: r.facts_currency }), order: r.id ? toOrderRow(r) : null };
}

/**
 * The sale's order writes after the ledger sold the seats, in ONE statement: order → completed
 * (only while it is still ours: `from`, the status its caller owns), the succeeded payment
 * recorded and the tickets inserted — the last two only if the order was completed. Returns the
 * event as the order shows it; null when the order was not ours (the caller rolls back).
 */
export async function completeSale(
  tx: Queryable,
  s: {
    orderId: string;
    paymentId: string;
    provider: string;
    amountCents: number;
    currency: string;
    last4: string | null;
    tickets: { id: string; seatId: string; code: string }[];
    /** Who completes: a checkout completes its 'pending' order, recovery the 'reconciling' order it claimed. */
    from: 'pending' | 'reconciling';
  },
): Promise<{ createdAt: Date; event: { name: string; startsAt: Date; venueName: string; venueTimeZone: string } } | null> {
  const { rows } = await tx.query(
    named(
      'co_complete_sale',
      `WITH o AS (
         UPDATE orders SET status = 'completed', payment_id = $2, updated_at = now()
          WHERE id = $1 AND status = $10
          RETURNING id, event_id, created_at
       ), p AS (
         INSERT INTO payments (order_id, provider, provider_ref, amount_cents, currency, status, card_last4)
         SELECT o.id, $3, $2, $4, $5, 'succeeded', $6 FROM o
         ON CONFLICT (order_id) DO UPDATE SET provider_ref = COALESCE(EXCLUDED.provider_ref, payments.provider_ref), amount_cents = EXCLUDED.amount_cents,
           status = EXCLUDED.status, card_last4 = EXCLUDED.card_last4, updated_at = now()
         RETURNING order_id
       ), t AS (
         INSERT INTO tickets (id, order_id, event_id, seat_id, code)
         SELECT x.id, o.id, o.event_id, x.seat_id, x.code FROM o, unnest($7::uuid[], $8::uuid[], $9::text[]) AS x(id, seat_id, code)
         RETURNING id
       )
       SELECT o.created_at, (SELECT count(*) FROM t)::int AS tickets, (SELECT count(*) FROM p)::int AS payments,
              e.name, e.starts_at, v.name AS venue_name, v.timezone AS venue_timezone
         FROM o JOIN events e ON e.id = o.event_id JOIN venues v ON v.id = e.venue_id`,
      [
        s.orderId,
        s.paymentId,
        s.provider,
        s.amountCents,
        s.currency,
        s.last4,
        s.tickets.map((t) => t.id),
        s.tickets.map((t) => t.seatId),
        s.tickets.map((t) => t.code),
        s.from,
      ],
    ),
  );
  const r = rows[0];
  if (!r) return null;
  if (r.payments !== 1 || r.tickets !== s.tickets.length) throw new Error(`sale ${s.orderId}: ${r.payments} payment rows, ${r.tickets} of ${s.tickets.length} tickets`);
  return { createdAt: r.created_at, event: { name: r.name, startsAt: r.starts_at, venueName: r.venue_name, venueTimeZone: r.venue_timezone } };
}
