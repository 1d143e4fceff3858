import type { CheckinResult } from '@ticketing/shared';
import type { Queryable } from '../../platform/db.js';

/** A ticket's code if `userId` owns it (null: any owner) and it is live. */
export async function findTicketCode(db: Queryable, ticketId: string, userId: string | null): Promise<string | null> {
  const { rows } = await db.query(
    `SELECT t.code FROM tickets t JOIN orders o ON o.id = t.order_id
      WHERE t.id = $1 AND ($2::uuid IS NULL OR o.user_id = $2) AND t.status <> 'void'`,
    [ticketId, userId],
  );
  return rows[0]?.code ?? null;
}

/** Atomic check-in: only a 'valid' ticket becomes 'checked_in', so of two simultaneous scans one wins. */
export async function checkIn(db: Queryable, ticketId: string, eventId: string): Promise<CheckinResult | null> {
  const { rows } = await db.query(
    `WITH t AS (
       UPDATE tickets SET status = 'checked_in', checked_in_at = now()
        WHERE id = $1 AND event_id = $2 AND status = 'valid'
        RETURNING id, order_id, event_id, seat_id, checked_in_at
     )
     SELECT t.id, t.order_id, t.event_id, t.checked_in_at, e.name AS event_name, sec.name AS section, s.row_label, s.number
       FROM t JOIN events e ON e.id = t.event_id JOIN event_seats s ON s.id = t.seat_id JOIN event_sections sec ON sec.id = s.section_id`,
    [ticketId, eventId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ticketId: r.id,
    orderId: r.order_id,
    eventId: r.event_id,
    eventName: r.event_name,
    seat: { section: r.section, row: r.row_label, number: r.number },
    checkedInAt: r.checked_in_at.toISOString(),
  };
}

/** Why a check-in did not happen: the ticket's status, with when and where it was used if it was; null when unknown. */
export type TicketState =
  | { status: 'valid' | 'void' }
  | { status: 'checked_in'; checkedInAt: string; seat: CheckinResult['seat'] };

export async function ticketState(db: Queryable, ticketId: string, eventId: string): Promise<TicketState | null> {
  const { rows } = await db.query(
    `SELECT t.status, t.checked_in_at, sec.name AS section, s.row_label, s.number
       FROM tickets t JOIN event_seats s ON s.id = t.seat_id JOIN event_sections sec ON sec.id = s.section_id
      WHERE t.id = $1 AND t.event_id = $2`,
    [ticketId, eventId],
  );
  const r = rows[0];
  if (!r) return null;
  if (r.status !== 'checked_in') return { status: r.status };
  return {
    status: 'checked_in',
    checkedInAt: (r.checked_in_at as Date).toISOString(),
    seat: { section: r.section, row: r.row_label, number: r.number },
  };
}
