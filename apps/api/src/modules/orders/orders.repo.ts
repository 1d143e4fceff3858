import type { Order, RefundPendingList } from '@ticketing/shared';
import type { Queryable } from '../../platform/db.js';

/** Orders the buyer sees: every charged order (a checkout in flight or failed without a charge is not one). */
const VISIBLE = `('completed', 'refund_pending', 'refunded', 'cancelled')`;
const REASONS = new Set(['hold_expired', 'event_cancelled', 'sale_failed']);

interface OrderHead {
  id: string;
  event_id: string;
  status: Order['status'];
  failure_code: string | null;
  total_cents: number;
  currency: string;
  created_at: Date;
  event_name: string;
  starts_at: Date;
  venue_name: string;
  venue_timezone: string;
}

async function withTickets(db: Queryable, heads: OrderHead[]): Promise<Order[]> {
  if (!heads.length) return [];
  const { rows } = await db.query(
    `SELECT t.id, t.order_id, t.code, t.checked_in_at, sec.name AS section, s.row_label, s.number
       FROM tickets t JOIN event_seats s ON s.id = t.seat_id JOIN event_sections sec ON sec.id = s.section_id
      WHERE t.order_id = ANY($1::uuid[])
      ORDER BY s.seat_index`,
    [heads.map((h) => h.id)],
  );
  const byOrder = new Map<string, Order['tickets']>();
  for (const r of rows) {
    const list = byOrder.get(r.order_id) ?? [];
    list.push({
      id: r.id,
      seat: { section: r.section, row: r.row_label, number: r.number },
      code: r.code,
      checkedInAt: r.checked_in_at ? r.checked_in_at.toISOString() : null,
    });
    byOrder.set(r.order_id, list);
  }
  return heads.map((h) => ({
    id: h.id,
    eventId: h.event_id,
    event: { name: h.event_name, startsAt: h.starts_at.toISOString(), venueName: h.venue_name, venueTimeZone: h.venue_timezone },
    status: h.status,
    statusReason: h.failure_code && REASONS.has(h.failure_code) ? (h.failure_code as Order['statusReason']) : null,
    totalCents: h.total_cents,
    currency: h.currency,
    createdAt: h.created_at.toISOString(),
    tickets: byOrder.get(h.id) ?? [],
  }));
}

const HEAD_SQL = `SELECT o.id, o.event_id, o.status, o.failure_code, o.total_cents, o.currency, o.created_at, e.name AS event_name, e.starts_at, v.name AS venue_name, v.timezone AS venue_timezone
  FROM orders o JOIN events e ON e.id = o.event_id JOIN venues v ON v.id = e.venue_id`;

/** One order in its public shape, only if it belongs to `userId` (null: any owner) and is visible. */
export async function findOrder(db: Queryable, orderId: string, userId: string | null): Promise<Order | null> {
  const { rows } = await db.query<OrderHead>(`${HEAD_SQL} WHERE o.id = $1 AND ($2::uuid IS NULL OR o.user_id = $2) AND o.status IN ${VISIBLE}`, [
    orderId,
    userId,
  ]);
  return (await withTickets(db, rows))[0] ?? null;
}

/** The user's orders, newest first. */
export async function listOrders(db: Queryable, userId: string, page: number, limit: number): Promise<{ items: Order[]; total: number }> {
  const [heads, count] = await Promise.all([
    db.query<OrderHead>(`${HEAD_SQL} WHERE o.user_id = $1 AND o.status IN ${VISIBLE} ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3`, [
      userId,
      limit,
      (page - 1) * limit,
    ]),
    db.query<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE user_id = $1 AND status IN ${VISIBLE}`, [userId]),
  ]);
  return { items: await withTickets(db, heads.rows), total: count.rows[0]!.n };
}

export interface RefundableOrder {
  id: string;
  userId: string;
  eventId: string;
  status: string;
  paymentId: string | null;
  eventCompleted: boolean;
}

export async function findOrderForRefund(db: Queryable, orderId: string): Promise<RefundableOrder | null> {
  const { rows } = await db.query(
    `SELECT o.id, o.user_id, o.event_id, o.status, o.payment_id, e.starts_at <= now() AS event_completed
       FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1`,
    [orderId],
  );
  const r = rows[0];
  return r ? { id: r.id, userId: r.user_id, eventId: r.event_id, status: r.status, paymentId: r.payment_id, eventCompleted: r.event_completed } : null;
}

/**
 * After the provider refunded: order completed → refunded, its payment refunded, tickets void
 * (the seats are freed by the caller through the seat ledger, in the same transaction).
 * Conditional on 'completed', so a concurrent or repeated refund changes nothing twice; false
 * when the order was no longer completed.
 */
export async function markOrderRefunded(tx: Queryable, orderId: string): Promise<boolean> {
  const o = await tx.query(`UPDATE orders SET status = 'refunded', updated_at = now() WHERE id = $1 AND status = 'completed' RETURNING id`, [orderId]);
  if (o.rowCount !== 1) return false;
  await tx.query(`UPDATE payments SET status = 'refunded', updated_at = now() WHERE order_id = $1`, [orderId]);
  await tx.query(`UPDATE tickets SET status = 'void' WHERE order_id = $1 AND status <> 'void'`, [orderId]);
  return true;
}

/** Completed orders of an event (what an event cancellation must refund). */
export async function completedOrderIds(db: Queryable, eventId: string): Promise<string[]> {
  const { rows } = await db.query(`SELECT id FROM orders WHERE event_id = $1 AND status = 'completed' ORDER BY created_at`, [eventId]);
  return rows.map((r) => r.id);
}

/** Sum of the event's completed orders. */
export async function eventRevenue(db: Queryable, eventId: string): Promise<number> {
  const { rows } = await db.query(`SELECT COALESCE(sum(total_cents), 0)::int8 AS revenue FROM orders WHERE event_id = $1 AND status = 'completed'`, [eventId]);
  return rows[0].revenue;
}

/** Orders whose refund is owed (oldest first), with their retry schedule: the admin's view of stuck refunds. */
export async function listRefundPending(db: Queryable, limit: number): Promise<RefundPendingList> {
  const [items, count] = await Promise.all([
    db.query(
      `SELECT id, event_id, user_id, total_cents, currency, failure_code, refund_attempts, refund_next_attempt_at, refund_last_error, updated_at
         FROM orders WHERE status = 'refund_pending' ORDER BY updated_at LIMIT $1`,
      [limit],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE status = 'refund_pending'`),
  ]);
  return {
    total: count.rows[0]!.n,
    items: items.rows.map((r) => ({
      orderId: r.id,
      eventId: r.event_id,
      userId: r.user_id,
      totalCents: r.total_cents,
      currency: r.currency,
      statusReason: REASONS.has(r.failure_code) ? r.failure_code : null,
      attempts: r.refund_attempts,
      nextAttemptAt: r.refund_next_attempt_at ? r.refund_next_attempt_at.toISOString() : null,
      lastError: r.refund_last_error,
      since: r.updated_at.toISOString(),
    })),
  };
}
