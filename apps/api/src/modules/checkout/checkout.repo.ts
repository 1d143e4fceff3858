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

const ORDER_COLUMNS = `id, user_id, event_id, hold_id, idempotency_key, request_hash, status, total_cents, currency, payment_id,
  failure_code, hold_expires_at, updated_at, EXTRACT(EPOCH FROM now() - updated_at)::float8 AS age_seconds`;

function toOrderRow(r: Record<string, any>): OrderRow {
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

export interface LockedHold {
  id: string;
  eventId: string;
  userId: string;
  status: string;
  expiresAt: Date;
  expired: boolean;
}

/** Lock the hold row (the expiry worker locks it too, with SKIP LOCKED). */
export async function lockHold(tx: Queryable, holdId: string): Promise<LockedHold | null> {
  const { rows } = await tx.query(
    named(
      'co_lock_hold',
      `SELECT id, event_id, user_id, status, expires_at, expires_at <= now() AS expired FROM holds WHERE id = $1 FOR UPDATE`,
      [holdId],
    ),
  );
  const r = rows[0];
  return r ? { id: r.id, eventId: r.event_id, userId: r.user_id, status: r.status, expiresAt: r.expires_at, expired: r.expired } : null;
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

/** Push the hold and its seats' expiry to at least now + grace (payment in progress). */
export async function extendHold(tx: Queryable, holdId: string, graceSeconds: number): Promise<void> {
  await tx.query(
    named(
      'co_extend_hold',
      `WITH h AS (
         UPDATE holds SET expires_at = GREATEST(expires_at, now() + make_interval(secs => $2)) WHERE id = $1 RETURNING expires_at
       )
       UPDATE event_seats SET held_until = (SELECT expires_at FROM h), updated_at = now() WHERE hold_id = $1 AND status = 'held'`,
      [holdId, graceSeconds],
    ),
  );
}

/** Put back the hold's original expiry (no free extension after a failed payment); only while still active. */
export async function restoreHoldExpiry(tx: Queryable, holdId: string, originalExpiresAt: Date): Promise<void> {
  await tx.query(
    named(
      'co_restore_hold_expiry',
      `WITH h AS (
         UPDATE holds SET expires_at = LEAST(expires_at, $2) WHERE id = $1 AND status = 'active' RETURNING expires_at
       )
       UPDATE event_seats SET held_until = (SELECT expires_at FROM h), updated_at = now()
        WHERE hold_id = $1 AND status = 'held' AND EXISTS (SELECT 1 FROM h)`,
      [holdId, originalExpiresAt],
    ),
  );
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

/**
 * Reconciler claim: a pending order untouched for `staleSeconds` (its process died mid-checkout)
 * goes pending → reconciling. From then on only the claimer may complete it or owe its refund
 * (the sale of a checkout completes only a 'pending' order). SKIP LOCKED plus the re-checked
 * condition make the claim exclusive across instances.
 */
export async function claimStalePending(db: Queryable, staleSeconds: number, limit: number): Promise<OrderRow[]> {
  const { rows } = await db.query(
    `UPDATE orders SET status = 'reconciling', updated_at = now()
      WHERE id IN (SELECT id FROM orders WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND status = 'pending' AND updated_at < now() - make_interval(secs => $1)
      RETURNING ${ORDER_COLUMNS}`,
    [staleSeconds, limit],
  );
  return rows.map(toOrderRow);
}

/**
 * Reconciler claim of orders that failed as payment_unavailable long ago (the buyer did not
 * retry): a timed-out charge may still have gone through at the provider. failed → reconciling,
 * which also stops a same-key retry from reclaiming it meanwhile. Skips an order whose hold has
 * another live order (it could not be live itself: orders_one_live_per_hold).
 */
export async function claimOldUnavailable(db: Queryable, olderThanSeconds: number, limit: number): Promise<OrderRow[]> {
  const { rows } = await db.query(
    `UPDATE orders SET status = 'reconciling', failure_code = NULL, updated_at = now()
      WHERE id IN (SELECT o.id FROM orders o WHERE o.status = 'failed' AND o.failure_code = 'payment_unavailable'
                      AND o.updated_at < now() - make_interval(secs => $1)
                      AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.hold_id = o.hold_id AND x.id <> o.id AND x.status IN ('pending', 'reconciling', 'completed'))
                    ORDER BY o.updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND status = 'failed' AND failure_code = 'payment_unavailable'
      RETURNING ${ORDER_COLUMNS}`,
    [olderThanSeconds, limit],
  );
  return rows.map(toOrderRow);
}

/** Orders claimed by a reconciler that died before finishing (claim older than the stale window). */
export async function claimStaleReconciling(db: Queryable, staleSeconds: number, limit: number): Promise<OrderRow[]> {
  const { rows } = await db.query(
    `UPDATE orders SET updated_at = now()
      WHERE id IN (SELECT id FROM orders WHERE status = 'reconciling' AND updated_at < now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND status = 'reconciling' AND updated_at < now() - make_interval(secs => $1)
      RETURNING ${ORDER_COLUMNS}`,
    [staleSeconds, limit],
  );
  return rows.map(toOrderRow);
}

/** reconciling → failed: the claimed order was never charged. Conditional on the claim. */
export async function failReconciled(tx: Queryable, orderId: string, reason: OrderReason): Promise<boolean> {
  const { rowCount } = await tx.query(`UPDATE orders SET status = 'failed', failure_code = $2, updated_at = now() WHERE id = $1 AND status = 'reconciling'`, [
    orderId,
    reason,
  ]);
  return rowCount === 1;
}

/** What reserve needs in one read: the held seats' total, the event, and whether the key or the hold is already taken. */
export async function reserveFacts(
  tx: Queryable,
  o: { holdId: string; eventId: string; userId: string; key: string; exceptOrderId: string | null },
): Promise<{ seatCount: number; totalCents: number; currency: string | null; cancelled: boolean; keyTaken: boolean; liveOrder: boolean }> {
  const { rows } = await tx.query(
    named(
      'co_reserve_facts',
      `SELECT (SELECT count(*) FROM event_seats s WHERE s.hold_id = $1 AND s.status = 'held')::int AS seat_count,
              (SELECT COALESCE(sum(sec.price_cents), 0) FROM event_seats s JOIN event_sections sec ON sec.id = s.section_id
                WHERE s.hold_id = $1 AND s.status = 'held')::int AS total_cents,
              e.currency, e.cancelled_at IS NOT NULL AS cancelled,
              EXISTS (SELECT 1 FROM orders WHERE user_id = $3 AND idempotency_key = $4) AS key_taken,
              EXISTS (SELECT 1 FROM orders WHERE hold_id = $1 AND status IN ('pending', 'reconciling', 'completed') AND id IS DISTINCT FROM $5) AS live_order
         FROM (SELECT 1) one LEFT JOIN events e ON e.id = $2`,
      [o.holdId, o.eventId, o.userId, o.key, o.exceptOrderId],
    ),
  );
  const r = rows[0];
  return { seatCount: r.seat_count, totalCents: r.total_cents, currency: r.currency, cancelled: r.cancelled ?? true, keyTaken: r.key_taken, liveOrder: r.live_order };
}

/** What reserve learned and did in its claiming statement (see reserveAndClaim). */
export interface ReserveClaim {
  seatCount: number;
  totalCents: number;
  currency: string | null;
  cancelled: boolean;
  keyTaken: boolean;
  liveOrder: boolean;
  /** The pending order this request inserted, or null when a check failed or the key was taken meanwhile. */
  order: OrderRow | null;
}

/**
 * Reserve's work after the hold row is locked, in ONE statement (the facts are read after the
 * lock was granted, as a separate statement would): the held seats' count and total, the event,
 * whether the key or the hold already has an order; then — only when every check passes and
 * `holdOk` (the locked hold is active and unexpired) — insert the pending order claiming the key
 * and push the hold's and its seats' expiry by the payment grace. The caller maps a refusal to
 * its answer from the facts, in the same order as before the merge.
 */
export async function reserveAndClaim(
  tx: Queryable,
  o: { holdId: string; eventId: string; userId: string; key: string; requestHash: string; holdOk: boolean; holdExpiresAt: Date; graceSeconds: number },
): Promise<ReserveClaim> {
  const { rows } = await tx.query(
    named(
      'co_reserve_claim',
      `WITH f AS (
         SELECT (SELECT count(*) FROM event_seats s WHERE s.hold_id = $1 AND s.status = 'held')::int AS seat_count,
                (SELECT COALESCE(sum(sec.price_cents), 0) FROM event_seats s JOIN event_sections sec ON sec.id = s.section_id
                  WHERE s.hold_id = $1 AND s.status = 'held')::int AS total_cents,
                e.currency, COALESCE(e.cancelled_at IS NOT NULL, true) AS cancelled,
                EXISTS (SELECT 1 FROM orders WHERE user_id = $3 AND idempotency_key = $4) AS key_taken,
                EXISTS (SELECT 1 FROM orders WHERE hold_id = $1 AND status IN ('pending', 'reconciling', 'completed')) AS live_order
           FROM (SELECT 1) one LEFT JOIN events e ON e.id = $2
       ), ins AS (
         INSERT INTO orders (user_id, event_id, hold_id, idempotency_key, request_hash, status, total_cents, currency, hold_expires_at)
         SELECT $3, $2, $1, $4, $5, 'pending', f.total_cents, f.currency, $6 FROM f
          WHERE $7::boolean AND f.seat_count > 0 AND NOT f.cancelled AND f.currency IS NOT NULL AND NOT f.key_taken AND NOT f.live_order
         ON CONFLICT (user_id, idempotency_key) DO NOTHING
         RETURNING ${ORDER_COLUMNS}
       ), h AS (
         UPDATE holds SET expires_at = GREATEST(expires_at, now() + make_interval(secs => $8))
          WHERE id = $1 AND EXISTS (SELECT 1 FROM ins) RETURNING expires_at
       ), s AS (
         UPDATE event_seats SET held_until = (SELECT expires_at FROM h), updated_at = now()
          WHERE hold_id = $1 AND status = 'held' AND EXISTS (SELECT 1 FROM h)
       )
       SELECT f.seat_count, f.total_cents AS facts_total_cents, f.currency AS facts_currency, f.cancelled, f.key_taken, f.live_order, ins.*
         FROM f LEFT JOIN ins ON true`,
      [o.holdId, o.eventId, o.userId, o.key, o.requestHash, o.holdExpiresAt, o.holdOk, o.graceSeconds],
    ),
  );
  const r = rows[0];
  return {
    seatCount: r.seat_count,
    totalCents: r.facts_total_cents,
    currency: r.facts_currency,
    cancelled: r.cancelled,
    keyTaken: r.key_taken,
    liveOrder: r.live_order,
    order: r.id ? toOrderRow(r) : null,
  };
}

/**
 * The sale's locks, event first: the event row FOR SHARE (an admin cancel holds it FOR NO KEY
 * UPDATE, so a sale and a cancel serialise), then the hold row FOR UPDATE. The admin cancel takes
 * the same order (event, then holds), so the two can never deadlock.
 */
export async function lockForSale(
  tx: Queryable,
  eventId: string,
  holdId: string,
): Promise<{ holdStatus: string; userId: string; cancelled: boolean; eventName: string; startsAt: Date; venueName: string; venueTimeZone: string } | null> {
  const { rows } = await tx.query(
    named(
      'co_lock_for_sale',
      // The hold's lookup reads the locked event row, so the event is locked first (the order
      // the admin cancel takes too): the two can never deadlock.
      `WITH e AS (
         SELECT e.id, e.cancelled_at IS NOT NULL AS cancelled, e.name, e.starts_at, v.name AS venue_name, v.timezone AS venue_timezone
           FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1 FOR SHARE OF e
       ), h AS (
         SELECT status, user_id FROM holds WHERE id = $2 AND event_id = (SELECT id FROM e) FOR UPDATE
       )
       SELECT e.cancelled, e.name, e.starts_at, e.venue_name, e.venue_timezone, h.status AS hold_status, h.user_id FROM e LEFT JOIN h ON true`,
      [eventId, holdId],
    ),
  );
  const r = rows[0];
  return r?.hold_status ? { holdStatus: r.hold_status, userId: r.user_id, cancelled: r.cancelled, eventName: r.name, startsAt: r.starts_at, venueName: r.venue_name, venueTimeZone: r.venue_timezone } : null;
}

/** Sold seats with what a ticket shows. */
export interface SoldSeat {
  id: string;
  index: number;
  priceCents: number;
  section: string;
  row: string;
  number: string;
}

/** Sell the hold's held seats to the order, returning them with section, row, number and price. */
export async function sellHeldSeatsDetailed(tx: Queryable, holdId: string, orderId: string): Promise<SoldSeat[]> {
  const { rows } = await tx.query(
    named(
      'co_sell_seats',
      `UPDATE event_seats s SET status = 'sold', order_id = $2, hold_id = NULL, held_until = NULL, updated_at = now()
         FROM event_sections sec
        WHERE s.hold_id = $1 AND s.status = 'held' AND sec.id = s.section_id
        RETURNING s.id, s.seat_index, sec.price_cents, sec.name AS section, s.row_label, s.number`,
      [holdId, orderId],
    ),
  );
  return rows
    .map((r) => ({ id: r.id, index: r.seat_index, priceCents: r.price_cents, section: r.section, row: r.row_label, number: r.number }))
    .sort((a, b) => a.index - b.index);
}

/**
 * The sale's writes after the seats were sold, in ONE statement: hold → converted, order →
 * completed (only while it is still ours: `from`, the status its caller owns), the succeeded payment recorded and
 * the tickets inserted — the last two only if the order was completed. Null when it was not (the
 * caller rolls the transaction back).
 */
export async function completeSale(
  tx: Queryable,
  s: {
    holdId: string;
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
): Promise<{ createdAt: Date; tickets: number } | null> {
  const { rows } = await tx.query(
    named(
      'co_complete_sale',
      `WITH h AS (UPDATE holds SET status = 'converted', ended_at = now() WHERE id = $1 AND status = 'active' RETURNING id),
       o AS (
         UPDATE orders SET status = 'completed', payment_id = $3, updated_at = now()
          WHERE id = $2 AND status = $11 AND EXISTS (SELECT 1 FROM h)
          RETURNING id, event_id, created_at
       ), p AS (
         INSERT INTO payments (order_id, provider, provider_ref, amount_cents, currency, status, card_last4)
         SELECT o.id, $4, $3, $5, $6, 'succeeded', $7 FROM o
         ON CONFLICT (order_id) DO UPDATE SET provider_ref = COALESCE(EXCLUDED.provider_ref, payments.provider_ref), amount_cents = EXCLUDED.amount_cents,
           status = EXCLUDED.status, card_last4 = EXCLUDED.card_last4, updated_at = now()
         RETURNING order_id
       ), t AS (
         INSERT INTO tickets (id, order_id, event_id, seat_id, code)
         SELECT x.id, o.id, o.event_id, x.seat_id, x.code FROM o, unnest($8::uuid[], $9::uuid[], $10::text[]) AS x(id, seat_id, code)
         RETURNING id
       )
       SELECT o.created_at, (SELECT count(*) FROM t)::int AS tickets, (SELECT count(*) FROM p)::int AS payments FROM o`,
      [
        s.holdId,
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
  return { createdAt: r.created_at, tickets: r.tickets };
}

