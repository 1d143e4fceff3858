-- Consistency checks over the whole database: the invariant "a seat is never sold twice and a card is
-- never charged twice", as queries. Each block is one check, named by its `-- check:` line; it returns
-- one row: `n` (how many rows break it) and `sample` (up to 5 ids). Parameters of every block:
-- $1 hold grace in seconds (how long the expiry worker may lag behind an expiry), $2 settle window in
-- seconds (how long a charge may wait for its refund or sale to be settled by the reconciler).
-- Run by consistency.ts beside it (the API: an oversell gauge) and scripts/lib/consistency.mjs (the fault suite).
-- A `-- kind: unsettled` block counts states that are legal for a while (in flight); every other
-- block is a violation.

-- check: sold_seat_without_completed_order
-- A sold seat belongs to exactly one completed order of the same event.
WITH p AS (SELECT $1::int AS grace, $2::int AS settle)
SELECT count(*)::int AS n, (array_agg(s.id ORDER BY s.id))[1:5] AS sample
  FROM p, event_seats s LEFT JOIN orders o ON o.id = s.order_id
 WHERE s.status = 'sold' AND (o.id IS NULL OR o.status <> 'completed' OR o.event_id <> s.event_id);

-- check: completed_order_without_sold_seat
-- A completed order owns at least one sold seat.
WITH p AS (SELECT $1::int AS grace, $2::int AS settle)
SELECT count(*)::int AS n, (array_agg(o.id ORDER BY o.id))[1:5] AS sample
  FROM p, orders o
 WHERE o.status = 'completed' AND NOT EXISTS (SELECT 1 FROM event_seats s WHERE s.order_id = o.id AND s.status = 'sold');

-- check: sold_seat_ticket_mismatch
-- Every sold seat has exactly one live ticket, of the order that bought it; every live ticket is for a seat sold to its order.
WITH p AS (SELECT $1::int AS grace, $2::int AS settle),
bad AS (
  SELECT s.id FROM event_seats s
   WHERE s.status = 'sold'
     AND (SELECT count(*) FROM tickets t WHERE t.seat_id = s.id AND t.status <> 'void' AND t.order_id = s.order_id) <> 1
  UNION
  SELECT t.seat_id FROM tickets t JOIN event_seats s ON s.id = t.seat_id
   WHERE t.status <> 'void' AND (s.status <> 'sold' OR s.order_id IS DISTINCT FROM t.order_id)
)
SELECT count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS sample FROM p, bad;

-- check: completed_order_without_succeeded_payment
-- A completed order was paid: its payment row says succeeded and names the charge the order names.
WITH p AS (SELECT $1::int AS grace, $2::int AS settle)
SELECT count(*)::int AS n, (array_agg(o.id ORDER BY o.id))[1:5] AS sample
  FROM p, orders o LEFT JOIN payments pm ON pm.order_id = o.id
 WHERE o.status = 'completed' AND (pm.id IS NULL OR pm.status <> 'succeeded' OR o.payment_id IS NULL OR pm.provider_ref IS DISTINCT FROM o.payment_id);

-- check: succeeded_payment_unsettled
-- kind: unsettled
-- A succeeded charge recorded on an order that is not completed is waiting for its refund.
WITH p AS (SELECT $1::int AS grace, $2::int AS settle)
SELECT count(*)::int AS n, (array_agg(o.id ORDER BY o.id))[1:5] AS sample
  FROM p, payments pm JOIN orders o ON o.id = pm.order_id
 WHERE pm.status = 'succeeded' AND o.status <> 'completed' AND o.updated_at > now() - make_interval(secs => p.settle);

-- check: succeeded_payment_without_order_or_refund
-- ... and one that waited longer than the settle window is money kept without a sale.
WITH p AS (SELECT $1::int AS grace, $2::int AS settle)
SELECT count(*)::int AS n, (array_agg(o.id ORDER BY o.id))[1:5] AS sample
  FROM p, payments pm JOIN orders o ON o.id = pm.order_id
 WHERE pm.status = 'succeeded' AND o.status <> 'completed' AND o.updated_at <= now() - make_interval(secs => p.settle);

-- check: pending_order
-- kind: unsettled
-- A checkout in flight (or abandoned by a process that died, until the reconciler settles it).
WITH p AS (SELECT $1::int AS grace, $2::int AS settle)
SELECT count(*)::int AS n, (array_agg(o.id ORDER BY o.id))[1:5] AS sample
  FROM p, orders o
 WHERE o.status = 'pending';

-- check: hold_outlived_expiry
-- No active hold, and no held seat, outlives its expiry by more than the grace.
WITH p AS (SELECT $1::int AS grace, $2::int AS settle),
bad AS (
  SELECT h.id FROM p, holds h WHERE h.status = 'active' AND h.expires_at < now() - make_interval(secs => p.grace)
  UNION
  SELECT s.hold_id FROM p, event_seats s WHERE s.status = 'held' AND s.held_until < now() - make_interval(secs => p.grace)
)
SELECT count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS sample FROM bad;

-- check: held_seat_without_active_hold
-- A held seat belongs to an active hold of the same event and holder (their expiries are checked above).
WITH p AS (SELECT $1::int AS grace, $2::int AS settle)
SELECT count(*)::int AS n, (array_agg(s.id ORDER BY s.id))[1:5] AS sample
  FROM p, event_seats s LEFT JOIN holds h ON h.id = s.hold_id
 WHERE s.status = 'held'
   AND (h.id IS NULL OR h.status <> 'active' OR h.event_id <> s.event_id OR h.user_id <> s.holder_user_id);

-- check: seat_counts
-- Per event: available + held + sold = seats, and sold seats = live tickets.
WITH p AS (SELECT $1::int AS grace, $2::int AS settle),
per_event AS (
  SELECT e.id,
         count(s.id) AS seats,
         count(s.id) FILTER (WHERE s.status IN ('available', 'held', 'sold')) AS by_status,
         count(s.id) FILTER (WHERE s.status = 'sold') AS sold,
         (SELECT count(*) FROM tickets t WHERE t.event_id = e.id AND t.status <> 'void') AS live_tickets
    FROM events e LEFT JOIN event_seats s ON s.event_id = e.id
   GROUP BY e.id
)
SELECT count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS sample FROM p, per_event WHERE seats <> by_status OR sold <> live_tickets;
