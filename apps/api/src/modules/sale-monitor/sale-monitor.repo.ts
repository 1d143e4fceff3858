import type { Queryable } from '../../platform/db.js';
import { eventStatusSql } from '../events/event-status.sql.js';

/**
 * Read-only checks behind the sale alerts and dashboard (ops/prometheus/alerts.yml,
 * ops/grafana/ticketing.json). Both look only at events that start within the look-back window,
 * so their cost follows the live sales, not the whole history.
 */

/** Violations of the invariant found in PostgreSQL; every count is 0 in a healthy system. */
export interface OversellCounts {
  /** Seats with two live tickets, or a live ticket on a seat not sold to the ticket's order. */
  seatsSoldTwice: number;
  /** Completed orders that own no sold seat (paid for nothing). */
  ordersWithoutSeats: number;
  /** Holds paid more than once (more than one succeeded payment across the hold's orders). */
  doubleCharges: number;
}

export async function findOversells(db: Queryable, lookBackDays: number): Promise<OversellCounts> {
  const { rows } = await db.query<{ seats_sold_twice: number; orders_without_seats: number; double_charges: number }>(
    `WITH recent AS (SELECT id FROM events WHERE starts_at > now() - make_interval(days => $1)),
     live AS (
       SELECT t.seat_id, t.order_id FROM tickets t JOIN recent e ON e.id = t.event_id WHERE t.status <> 'void'
     )
     SELECT
       (SELECT count(*) FROM (SELECT seat_id FROM live GROUP BY seat_id HAVING count(*) > 1) twice)::int
         + (SELECT count(*) FROM live l JOIN event_seats s ON s.id = l.seat_id
             WHERE s.status <> 'sold' OR s.order_id IS DISTINCT FROM l.order_id)::int AS seats_sold_twice,
       (SELECT count(*) FROM orders o JOIN recent e ON e.id = o.event_id
         WHERE o.status = 'completed' AND NOT EXISTS (SELECT 1 FROM event_seats s WHERE s.order_id = o.id))::int AS orders_without_seats,
       (SELECT count(*) FROM (
          SELECT o.hold_id FROM orders o JOIN recent e ON e.id = o.event_id JOIN payments p ON p.order_id = o.id
           WHERE p.status = 'succeeded' AND o.hold_id IS NOT NULL
           GROUP BY o.hold_id HAVING count(*) > 1) paid_twice)::int AS double_charges`,
    [lookBackDays],
  );
  const r = rows[0]!;
  return { seatsSoldTwice: r.seats_sold_twice, ordersWithoutSeats: r.orders_without_seats, doubleCharges: r.double_charges };
}

/** Seats of one event in one state. */
export interface EventSeatCount {
  eventId: string;
  status: 'available' | 'held' | 'sold';
  seats: number;
}

/** Seat counts by state of every event in its sale window now (the events module's rule, sold out included). */
export async function countSeatsOnSale(db: Queryable): Promise<EventSeatCount[]> {
  const { rows } = await db.query<{ event_id: string; status: EventSeatCount['status']; seats: number }>(
    `SELECT s.event_id, s.status, count(*)::int AS seats
       FROM events e JOIN event_seats s ON s.event_id = e.id
      WHERE ${eventStatusSql('e')} = 'on_sale'
      GROUP BY s.event_id, s.status`,
  );
  return rows.map((r) => ({ eventId: r.event_id, status: r.status, seats: r.seats }));
}
