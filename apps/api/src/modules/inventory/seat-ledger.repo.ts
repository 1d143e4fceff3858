import { named, type Queryable } from '../../platform/db.js';

/** A hold row locked for checkout. */
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
    named('ledger_lock_hold', `SELECT id, event_id, user_id, status, expires_at, expires_at <= now() AS expired FROM holds WHERE id = $1 FOR UPDATE`, [holdId]),
  );
  const r = rows[0];
  return r ? { id: r.id, eventId: r.event_id, userId: r.user_id, status: r.status, expiresAt: r.expires_at, expired: r.expired } : null;
}

/**
 * Push the hold's and its held seats' expiry to at least now + grace; returns the held seats'
 * count and price total, read after the hold row was locked by the caller.
 */
export async function extendHold(tx: Queryable, holdId: string, graceSeconds: number): Promise<{ seatCount: number; totalCents: number }> {
  const { rows } = await tx.query(
    named(
      'ledger_extend_hold',
      `WITH h AS (
         UPDATE holds SET expires_at = GREATEST(expires_at, now() + make_interval(secs => $2)) WHERE id = $1 RETURNING expires_at
       ), s AS (
         UPDATE event_seats SET held_until = (SELECT expires_at FROM h), updated_at = now()
          WHERE hold_id = $1 AND status = 'held' AND EXISTS (SELECT 1 FROM h)
         RETURNING section_id
       )
       SELECT count(*)::int AS seat_count, COALESCE(sum(sec.price_cents), 0)::int AS total_cents
         FROM s JOIN event_sections sec ON sec.id = s.section_id`,
      [holdId, graceSeconds],
    ),
  );
  return { seatCount: rows[0].seat_count, totalCents: rows[0].total_cents };
}

/** Put back the hold's original expiry (no free extension after a failed payment); only while still active. */
export async function restoreHold(tx: Queryable, holdId: string, originalExpiresAt: Date): Promise<void> {
  await tx.query(
    named(
      'ledger_restore_hold',
      `WITH h AS (
         UPDATE holds SET expires_at = LEAST(expires_at, $2) WHERE id = $1 AND status = 'active' RETURNING expires_at
       )
       UPDATE event_seats SET held_until = (SELECT expires_at FROM h), updated_at = now()
        WHERE hold_id = $1 AND status = 'held' AND EXISTS (SELECT 1 FROM h)`,
      [holdId, originalExpiresAt],
    ),
  );
}

/**
 * The sale's locks, event first: the event row FOR SHARE (an event cancellation holds it FOR NO
 * KEY UPDATE, so a sale and a cancel serialise), then the hold row FOR UPDATE. The cancellation
 * takes the same order (event, then holds), so the two can never deadlock.
 */
export async function lockHoldForSale(tx: Queryable, eventId: string, holdId: string): Promise<{ holdStatus: string; userId: string; cancelled: boolean } | null> {
  const { rows } = await tx.query(
    named(
      'ledger_lock_for_sale',
      `WITH e AS (
         SELECT id, cancelled_at IS NOT NULL AS cancelled FROM events WHERE id = $1 FOR SHARE
       ), h AS (
         SELECT status, user_id FROM holds WHERE id = $2 AND event_id = (SELECT id FROM e) FOR UPDATE
       )
       SELECT e.cancelled, h.status AS hold_status, h.user_id FROM e LEFT JOIN h ON true`,
      [eventId, holdId],
    ),
  );
  const r = rows[0];
  return r?.hold_status ? { holdStatus: r.hold_status, userId: r.user_id, cancelled: r.cancelled } : null;
}

/** A sold seat with what a ticket shows. */
export interface SoldSeat {
  id: string;
  index: number;
  priceCents: number;
  section: string;
  row: string;
  number: string;
}

/**
 * Sell an active hold's held seats to the order and mark the hold converted, in one statement.
 * Returns the sold seats in seat order; empty when the hold was no longer active (nothing changed).
 */
export async function sellHeldSeats(tx: Queryable, holdId: string, orderId: string): Promise<SoldSeat[]> {
  const { rows } = await tx.query(
    named(
      'ledger_sell_seats',
      `WITH h AS (
         UPDATE holds SET status = 'converted', ended_at = now() WHERE id = $1 AND status = 'active' RETURNING id
       )
       UPDATE event_seats s SET status = 'sold', order_id = $2, hold_id = NULL, held_until = NULL, updated_at = now()
         FROM event_sections sec
        WHERE s.hold_id = $1 AND s.status = 'held' AND sec.id = s.section_id AND EXISTS (SELECT 1 FROM h)
        RETURNING s.id, s.seat_index, sec.price_cents, sec.name AS section, s.row_label, s.number`,
      [holdId, orderId],
    ),
  );
  return rows
    .map((r) => ({ id: r.id, index: r.seat_index, priceCents: r.price_cents, section: r.section, row: r.row_label, number: r.number }))
    .sort((a, b) => a.index - b.index);
}

/** An order's sold seats back on sale (refund); returns their seat indexes. */
export async function freeSoldSeats(tx: Queryable, orderId: string): Promise<number[]> {
  const { rows } = await tx.query(
    named(
      'ledger_free_sold',
      `UPDATE event_seats SET status = 'available', order_id = NULL, holder_user_id = NULL, updated_at = now()
        WHERE order_id = $1 AND status = 'sold' RETURNING seat_index`,
      [orderId],
    ),
  );
  return rows.map((r) => r.seat_index as number);
}

/** End every active hold of the event and free its seats; returns each hold's freed seats and their indexes. */
export async function releaseEventHolds(tx: Queryable, eventId: string): Promise<{ holds: { id: string; seatIds: string[] }[]; indexes: number[] }> {
  const holds = await tx.query(`UPDATE holds SET status = 'released', ended_at = now() WHERE event_id = $1 AND status = 'active' RETURNING id`, [eventId]);
  const ids = holds.rows.map((r) => r.id as string);
  if (!ids.length) return { holds: [], indexes: [] };
  const seats = await tx.query(
    `WITH s AS (SELECT id, hold_id FROM event_seats WHERE hold_id = ANY($1::uuid[]) AND status = 'held' FOR UPDATE)
     UPDATE event_seats es SET status = 'available', hold_id = NULL, holder_user_id = NULL, held_until = NULL, updated_at = now()
       FROM s WHERE es.id = s.id
     RETURNING es.id, s.hold_id, es.seat_index`,
    [ids],
  );
  const byHold = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const r of seats.rows) byHold.get(r.hold_id)?.push(r.id);
  return { holds: [...byHold].map(([id, seatIds]) => ({ id, seatIds })), indexes: seats.rows.map((r) => r.seat_index as number) };
}
