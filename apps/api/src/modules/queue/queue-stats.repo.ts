import type { Queryable } from '../../platform/db.js';

/**
 * Fallback sales figures for the operator view, used only while the inventory and orders
 * services do not expose `salesCounts` / `eventRevenue` (see queue-stats.service.ts).
 */
export async function salesFigures(db: Queryable, eventId: string): Promise<{ sold: number; held: number; available: number; revenueCents: number }> {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE s.status = 'sold') AS sold,
            count(*) FILTER (WHERE s.status = 'held' AND s.held_until > now()) AS held,
            count(*) FILTER (WHERE s.status = 'available' OR (s.status = 'held' AND s.held_until <= now())) AS available,
            (SELECT COALESCE(sum(o.total_cents), 0) FROM orders o WHERE o.event_id = $1 AND o.status = 'completed') AS revenue_cents
       FROM event_seats s WHERE s.event_id = $1`,
    [eventId],
  );
  const r = rows[0];
  return { sold: Number(r.sold), held: Number(r.held), available: Number(r.available), revenueCents: Number(r.revenue_cents) };
}
