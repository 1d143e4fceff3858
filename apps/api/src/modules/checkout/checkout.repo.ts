import { named, type Queryable } from '../../platform/db.js';

/** An order row as checkout sees it. */
export interface OrderRow {
  id: string;
  userId: string;
  eventId: string;
  holdId: string | null;
  idempotencyKey: string;
  requestHash: string;
  status: 'pending' | 'completed' | 'failed' | 'cancelled' | 'refunded';
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
    named('co_lock_hold', `SELECT id, event_id, user_id, status, expires_at, expires_at <= now() AS expired FROM holds WHERE id = $1 FOR UPDATE`,
    [holdId])
  );
  const r = rows[0];
  return r ? { id: r.id, eventId: r.event_id, userId: r.user_id, status: r.status, expiresAt: r.expires_at, expired: r.expired } : null;
}

/** Insert-first: the pending order claims the idempotency key. Null when the key is already taken. */
export async function insertPendingOrder(
  tx: Queryable,
  o: { userId: string; eventId: string; holdId: string; key: string; requestHash: string; totalCents: number; currency: string; holdExpiresAt: Date },
): Promise<OrderRow | null> {
  const { rows } = await tx.query(
    named('co_insert_pending', `INSERT INTO orders (user_id, event_id, hold_id, idempotency_key, request_hash, status, total_cents, currency, hold_expires_at)
     VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8)
     ON CONFLICT (user_id, idempotency_key) DO NOTHING
     RETURNING ${ORDER_COLUMNS}`,
    [o.userId, o.eventId, o.holdId, o.key, o.requestHash, o.totalCents, o.currency, o.holdExpiresAt])
  );
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

/** Push the hold and its seats' expiry to at least now + grace (payment in progress). */
export async function extendHold(tx: Queryable, holdId: string, graceSeconds: number): Promise<void> {
  await tx.query(
    named('co_extend_hold', `WITH h AS (
       UPDATE holds SET expires_at = GREATEST(expires_at, now() + make_interval(secs => $2)) WHERE id = $1 RETURNING expires_at
     )
     UPDATE event_seats SET held_until = (SELECT expires_at FROM h), updated_at = now() WHERE hold_id = $1 AND status = 'held'`,
    [holdId, graceSeconds])
  );
}

/** Put back the hold's original expiry (no free extension after a failed payment); only while still active. */
export async function restoreHoldExpiry(tx: Queryable, holdId: string, originalExpiresAt: Date): Promise<void> {
  await tx.query(
    named('co_restore_hold_expiry', `WITH h AS (
       UPDATE holds SET expires_at = LEAST(expires_at, $2) WHERE id = $1 AND status = 'active' RETURNING expires_at
     )
     UPDATE event_seats SET held_until = (SELECT expires_at FROM h), updated_at = now()
      WHERE hold_id = $1 AND status = 'held' AND EXISTS (SELECT 1 FROM h)`,
    [holdId, originalExpiresAt])
  );
}

export async function failOrder(tx: Queryable, orderId: string, failureCode: string, paymentId: string | null = null): Promise<void> {
  await tx.query(
    named('co_fail_order', `UPDATE orders SET status = 'failed', failure_code = $2, payment_id = COALESCE($3, payment_id), updated_at = now() WHERE id = $1 AND status = 'pending'`,
    [orderId, failureCode, paymentId])
  );
}

/** Record the payment attempt of an order (one row per order; a retry overwrites the attempt). */
export async function upsertPayment(
  tx: Queryable,
  p: { orderId: string; provider: string; providerRef: string | null; amountCents: number; currency: string; status: 'succeeded' | 'declined' | 'failed' | 'refunded'; last4: string | null },
): Promise<void> {
  await tx.query(
    named('co_upsert_payment', `INSERT INTO payments (order_id, provider, provider_ref, amount_cents, currency, status, card_last4)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (order_id) DO UPDATE SET provider_ref = COALESCE(EXCLUDED.provider_ref, payments.provider_ref), amount_cents = EXCLUDED.amount_cents,
       status = EXCLUDED.status, card_last4 = EXCLUDED.card_last4, updated_at = now()`,
    [p.orderId, p.provider, p.providerRef, p.amountCents, p.currency, p.status, p.last4])
  );
}

export async function insertTickets(tx: Queryable, rows: { id: string; orderId: string; eventId: string; seatId: string; code: string }[]): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    named('co_insert_tickets', `INSERT INTO tickets (id, order_id, event_id, seat_id, code)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[])`,
    [rows.map((r) => r.id), rows.map((r) => r.orderId), rows.map((r) => r.eventId), rows.map((r) => r.seatId), rows.map((r) => r.code)])
  );
}


/**
 * Reconciler claim: a pending order untouched for `staleSeconds` (its process died mid-checkout)
 * is marked 'reconciling'. From then on the sale can no longer complete it (completeOrder needs
 * failure_code NULL), so refunding its charge is safe. A claim left by a dead reconciler goes stale too.
 */
export async function claimStalePending(db: Queryable, staleSeconds: number, limit: number): Promise<OrderRow[]> {
  const { rows } = await db.query(
    `UPDATE orders SET failure_code = 'reconciling', updated_at = now()
      WHERE id IN (SELECT id FROM orders WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND status = 'pending'
      RETURNING ${ORDER_COLUMNS}`,
    [staleSeconds, limit],
  );
  return rows.map(toOrderRow);
}

/**
 * Reconciler claim of orders that failed as payment_unavailable long ago (the buyer did not
 * retry): a timed-out charge may still have gone through at the provider and must be refunded.
 * The claim stops a same-key retry from reclaiming it meanwhile.
 */
export async function claimOldUnavailable(db: Queryable, olderThanSeconds: number, limit: number): Promise<OrderRow[]> {
  const { rows } = await db.query(
    `UPDATE orders SET failure_code = 'reconciling', updated_at = now()
      WHERE id IN (SELECT id FROM orders WHERE status = 'failed' AND failure_code = 'payment_unavailable'
                      AND updated_at < now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
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
      WHERE id IN (SELECT id FROM orders WHERE status = 'failed' AND failure_code = 'reconciling'
                      AND updated_at < now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING ${ORDER_COLUMNS}`,
    [staleSeconds, limit],
  );
  return rows.map(toOrderRow);
}

/** Failed orders whose refund did not go through yet. */
export async function refundPendingOrders(db: Queryable, limit: number): Promise<{ id: string; paymentId: string }[]> {
  const { rows } = await db.query(
    `SELECT id, payment_id FROM orders WHERE status = 'failed' AND failure_code = 'refund_pending' AND payment_id IS NOT NULL ORDER BY updated_at LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id, paymentId: r.payment_id }));
}

/** Close a reconciled order: failed with `failureCode`, its payment recorded. Conditional on the claim. */
export async function finishReconciled(tx: Queryable, orderId: string, failureCode: string, paymentId: string | null): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE orders SET status = 'failed', failure_code = $2, payment_id = COALESCE($3, payment_id), updated_at = now()
      WHERE id = $1 AND status IN ('pending', 'failed') AND failure_code = 'reconciling'`,
    [orderId, failureCode, paymentId],
  );
  return rowCount === 1;
}

export async function markRefundDone(tx: Queryable, orderId: string): Promise<void> {
  await tx.query(`UPDATE orders SET failure_code = 'hold_expired', updated_at = now() WHERE id = $1 AND status = 'failed' AND failure_code = 'refund_pending'`, [orderId]);
  await tx.query(`UPDATE payments SET status = 'refunded', updated_at = now() WHERE order_id = $1`, [orderId]);
}

/** What reserve needs in one read: the held seats' total, the event, and whether the key or the hold is already taken. */
export async function reserveFacts(
  tx: Queryable,
  o: { holdId: string; eventId: string; userId: string; key: string; exceptOrderId: string | null },
): Promise<{ seatCount: number; totalCents: number; currency: string | null; cancelled: boolean; keyTaken: boolean; liveOrder: boolean }> {
  const { rows } = await tx.query(
    named('co_reserve_facts', `SELECT (SELECT count(*) FROM event_seats s WHERE s.hold_id = $1 AND s.status = 'held')::int AS seat_count,
            (SELECT COALESCE(sum(sec.price_cents), 0) FROM event_seats s JOIN event_sections sec ON sec.id = s.section_id
              WHERE s.hold_id = $1 AND s.status = 'held')::int AS total_cents,
            e.currency, e.cancelled_at IS NOT NULL AS cancelled,
            EXISTS (SELECT 1 FROM orders WHERE user_id = $3 AND idempotency_key = $4) AS key_taken,
            EXISTS (SELECT 1 FROM orders WHERE hold_id = $1 AND status <> 'failed' AND id IS DISTINCT FROM $5) AS live_order
       FROM (SELECT 1) one LEFT JOIN events e ON e.id = $2`,
    [o.holdId, o.eventId, o.userId, o.key, o.exceptOrderId])
  );
  const r = rows[0];
  return { seatCount: r.seat_count, totalCents: r.total_cents, currency: r.currency, cancelled: r.cancelled ?? true, keyTaken: r.key_taken, liveOrder: r.live_order };
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
): Promise<{ holdStatus: string; userId: string; cancelled: boolean; eventName: string; startsAt: Date; venueName: string } | null> {
  const ev = await tx.query(
    named('co_lock_event_for_sale', `SELECT e.cancelled_at IS NOT NULL AS cancelled, e.name, e.starts_at, v.name AS venue_name
       FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1 FOR SHARE OF e`,
    [eventId])
  );
  const e = ev.rows[0];
  if (!e) return null;
  const h = await tx.query(named('co_lock_hold_for_sale', `SELECT status, user_id FROM holds WHERE id = $1 AND event_id = $2 FOR UPDATE`, [holdId, eventId]));
  const r = h.rows[0];
  return r ? { holdStatus: r.status, userId: r.user_id, cancelled: e.cancelled, eventName: e.name, startsAt: e.starts_at, venueName: e.venue_name } : null;
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
    named('co_sell_seats', `UPDATE event_seats s SET status = 'sold', order_id = $2, hold_id = NULL, held_until = NULL, updated_at = now()
       FROM event_sections sec
      WHERE s.hold_id = $1 AND s.status = 'held' AND sec.id = s.section_id
      RETURNING s.id, s.seat_index, sec.price_cents, sec.name AS section, s.row_label, s.number`,
    [holdId, orderId])
  );
  return rows
    .map((r) => ({ id: r.id, index: r.seat_index, priceCents: r.price_cents, section: r.section, row: r.row_label, number: r.number }))
    .sort((a, b) => a.index - b.index);
}

/**
 * Hold → converted and order → completed in one statement; null when the order was no longer ours
 * to complete (failure_code set: claimed by the reconciler, which may be refunding it).
 */
export async function convertAndComplete(tx: Queryable, holdId: string, orderId: string, paymentId: string): Promise<{ createdAt: Date } | null> {
  const { rows } = await tx.query(
    named('co_convert_complete', `WITH h AS (UPDATE holds SET status = 'converted', ended_at = now() WHERE id = $1 AND status = 'active' RETURNING id)
     UPDATE orders SET status = 'completed', payment_id = $3, updated_at = now()
      WHERE id = $2 AND status = 'pending' AND failure_code IS NULL AND EXISTS (SELECT 1 FROM h)
      RETURNING created_at`,
    [holdId, orderId, paymentId])
  );
  return rows[0] ? { createdAt: rows[0].created_at } : null;
}
