import { named, type Queryable } from '../../platform/db.js';
import { eventStatusSql } from '../events/event-status.sql.js';

/** A requested seat as phase 2 found it (row-locked), with what the Hold response shows. */
export interface LockedSeat {
  id: string;
  index: number;
  /** Available, or held by the hold this one replaces: the seat may be taken. */
  eligible: boolean;
  section: string;
  row: string;
  number: string;
  priceCents: number;
}

/** Why phase 2 refused a hold (decided in SQL, in this order), or null when the hold was taken. */
export type HoldRefusal = 'event_not_on_sale' | 'seats_unavailable' | 'ticket_limit';

/** What phase 2 did. */
export interface HoldOutcome {
  refusal: HoldRefusal | null;
  /** The requested seats of this event, in seat order (seats of other events are absent). */
  seats: LockedSeat[];
  /** The user's previous active hold, replaced when the hold was taken. */
  prevHold: { id: string; createdAt: Date } | null;
  /** Seats of the replaced hold that went back on sale (those not in the new hold). */
  freed: { id: string; index: number }[];
  /** Set when the hold was taken: its expiry and how many seats were marked held. */
  inserted: { expiresAt: Date; marked: number } | null;
  /** Seats this user already bought for the event (for the ticket-limit message). */
  userSold: number;
}

/**
 * Phase 2 of a hold (ADR 0001), the ONE implementation, in ONE statement (atomic without an
 * explicit transaction). Locks without waiting (NOWAIT: a concurrent taker makes this fail at once
 * with 55P03): the user's active hold on the event, then the requested seat rows (found by primary
 * key only: with an `event_id` condition the generic plan reads the whole event). Then decides in
 * SQL — on sale (events' one rule, `eventStatusSql`), every seat of this event available or held
 * by the user's previous hold, the ticket limit — and only when nothing refuses: ends the previous
 * hold ('replaced'), frees its seats that are not re-requested, inserts the hold and marks the
 * seats held. The refusal's reason comes back with the facts. Expiry is PostgreSQL's clock.
 */
export async function takeHold(
  db: Queryable,
  h: { id: string; eventId: string; userId: string; sessionId: string | null; ttlSeconds: number; seatIds: string[]; maxTickets: number },
): Promise<HoldOutcome> {
  const { rows } = await db.query(
    named(
      'inv_take_hold',
      `WITH prev AS (
         SELECT id, created_at FROM holds WHERE event_id = $2 AND user_id = $3 AND status = 'active' FOR UPDATE NOWAIT
       ), seats AS (
         SELECT s.id, s.event_id, s.seat_index, s.status, s.hold_id, s.section_id, s.row_label, s.number
           FROM event_seats s WHERE s.id = ANY($1::uuid[])
            FOR UPDATE NOWAIT
       ), ctx AS (
         SELECT (SELECT id FROM prev) AS prev_id, (SELECT created_at FROM prev) AS prev_created_at,
                (SELECT count(*) FROM orders o JOIN event_seats so ON so.order_id = o.id
                  WHERE o.user_id = $3 AND o.event_id = $2 AND so.status = 'sold')::int AS user_sold,
                COALESCE((SELECT ${eventStatusSql('e')} = 'on_sale' FROM events e WHERE e.id = $2), false) AS on_sale
       ), verdict AS (
         SELECT ctx.*,
                CASE WHEN NOT ctx.on_sale THEN 'event_not_on_sale'
                     WHEN (SELECT count(*) FROM seats WHERE event_id = $2
                             AND (status = 'available' OR (status = 'held' AND hold_id = ctx.prev_id))) <> $7 THEN 'seats_unavailable'
                     WHEN ctx.user_sold + $7 > $8 THEN 'ticket_limit'
                END AS refusal
           FROM ctx
       ), ended AS (
         UPDATE holds SET status = 'replaced', ended_at = now()
          WHERE id = (SELECT prev_id FROM verdict WHERE refusal IS NULL)
         RETURNING id
       ), freed AS (
         UPDATE event_seats es SET status = 'available', hold_id = NULL, holder_user_id = NULL, held_until = NULL, updated_at = now()
           FROM ended WHERE es.hold_id = ended.id AND NOT (es.id = ANY($1::uuid[]))
         RETURNING es.id, es.seat_index
       ), ins AS (
         -- Reading "ended" orders the previous hold's end before this insert (one active hold per user and event).
         INSERT INTO holds (id, event_id, user_id, session_id, expires_at)
         SELECT $4, $2, $3, $5, now() + make_interval(secs => $6) FROM verdict
          WHERE verdict.refusal IS NULL AND (verdict.prev_id IS NULL OR EXISTS (SELECT 1 FROM ended))
         RETURNING id, expires_at
       ), upd AS (
         UPDATE event_seats es SET status = 'held', hold_id = ins.id, holder_user_id = $3, held_until = ins.expires_at, updated_at = now()
           FROM ins WHERE es.id = ANY($1::uuid[])
            AND (es.status = 'available' OR es.hold_id = (SELECT prev_id FROM verdict))
         RETURNING es.id
       )
       SELECT verdict.prev_id, verdict.prev_created_at, verdict.user_sold, verdict.refusal,
              (SELECT expires_at FROM ins) AS expires_at, (SELECT count(*) FROM upd)::int AS marked,
              (SELECT COALESCE(json_agg(json_build_object('id', freed.id, 'index', freed.seat_index)), '[]'::json) FROM freed) AS freed,
              seats.id, seats.event_id, seats.seat_index, seats.row_label, seats.number,
              (seats.status = 'available' OR (seats.status = 'held' AND seats.hold_id = verdict.prev_id)) AS eligible,
              (SELECT name FROM event_sections WHERE id = seats.section_id) AS section,
              (SELECT price_cents FROM event_sections WHERE id = seats.section_id) AS price_cents
         FROM verdict LEFT JOIN seats ON true`,
      [h.seatIds, h.eventId, h.userId, h.id, h.sessionId, h.ttlSeconds, h.seatIds.length, h.maxTickets],
    ),
  );
  const r0 = rows[0];
  return {
    refusal: r0.refusal,
    prevHold: r0.prev_id ? { id: r0.prev_id, createdAt: r0.prev_created_at } : null,
    freed: r0.freed,
    inserted: r0.expires_at ? { expiresAt: r0.expires_at, marked: r0.marked } : null,
    userSold: r0.user_sold,
    seats: rows
      .filter((r) => r.id && r.event_id === h.eventId)
      .sort((a, b) => a.seat_index - b.seat_index)
      .map((r) => ({ id: r.id, index: r.seat_index, eligible: r.eligible, section: r.section, row: r.row_label, number: r.number, priceCents: r.price_cents })),
  };
}

/** Which of these hold ids are active holds, and whose. */
export async function findActiveHoldOwners(db: Queryable, holdIds: string[]): Promise<Map<string, { userId: string; eventId: string }>> {
  const { rows } = await db.query(named('inv_active_hold_owners', `SELECT id, user_id, event_id FROM holds WHERE id = ANY($1::uuid[]) AND status = 'active'`, [holdIds]));
  return new Map(rows.map((r) => [r.id as string, { userId: r.user_id as string, eventId: r.event_id as string }]));
}

/** A seat released from a hold, for the snapshot and the Redis locks. */
export interface ReleasedSeat {
  id: string;
  index: number;
  eventId: string;
  holdId: string;
}

/**
 * Put a hold's seats back on sale. Conditional on the seat still being held by that hold, so a
 * seat that checkout already sold is never touched.
 *
 * Note: "hold_id = X" alone means "held by X" — the CHECK constraint on event_seats allows a
 * hold_id only on held seats. Not adding `status = 'held'` is deliberate: it would let the
 * planner combine the partial expiry index (bloated by churn) and make this slow.
 */
export async function releaseHoldSeats(tx: Queryable, holdIds: string[]): Promise<ReleasedSeat[]> {
  const { rows } = await tx.query(named('inv_release_hold_seats', 
    // The seats are locked through the hold index, then updated by primary key (not by joining
    // event_seats to itself): the generic plan stays index lookups even without statistics.
    `WITH old AS (
       SELECT id, hold_id FROM event_seats WHERE hold_id = ANY($1::uuid[]) FOR UPDATE
     ), upd AS (
       UPDATE event_seats s SET status = 'available', hold_id = NULL, holder_user_id = NULL, held_until = NULL, updated_at = now()
        WHERE s.id = ANY (ARRAY(SELECT id FROM old)) AND s.hold_id = ANY($1::uuid[])
       RETURNING s.id, s.seat_index, s.event_id
     )
     SELECT upd.id, upd.seat_index, upd.event_id, old.hold_id FROM upd JOIN old ON old.id = upd.id`,
    [holdIds],
  ));
  return rows.map((r) => ({ id: r.id, index: r.seat_index, eventId: r.event_id, holdId: r.hold_id }));
}

/** End holds with a final status (released, replaced, expired). */
export async function endHolds(tx: Queryable, holdIds: string[], status: 'released' | 'replaced' | 'expired'): Promise<{ id: string; createdAt: Date }[]> {
  const { rows } = await tx.query(named('inv_end_holds', 
    `UPDATE holds SET status = $2, ended_at = now() WHERE id = ANY($1::uuid[]) AND status = 'active' RETURNING id, created_at`,
    [holdIds, status],
  ));
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at }));
}

/** A hold with its seats, as GET /holds/current shows it. */
export interface HoldRow {
  id: string;
  eventId: string;
  userId: string;
  currency: string;
  expiresAt: Date;
  seats: { id: string; index: number; section: string; row: string; number: string; priceCents: number }[];
}

/** The user's active, unexpired hold (on one event when given), with its seats. */
export async function findCurrentHold(db: Queryable, userId: string, eventId?: string): Promise<HoldRow | null> {
  const { rows } = await db.query(named('inv_current_hold', 
    // Event and section facts by scalar subquery: primary-key lookups in the generic plan.
    `SELECT h.id, h.event_id, h.user_id, h.expires_at, (SELECT currency FROM events WHERE id = h.event_id) AS currency,
            s.id AS seat_id, s.seat_index, s.row_label, s.number,
            (SELECT name FROM event_sections WHERE id = s.section_id) AS section,
            (SELECT price_cents FROM event_sections WHERE id = s.section_id) AS price_cents
       FROM holds h LEFT JOIN event_seats s ON s.hold_id = h.id
      WHERE h.id = (SELECT id FROM holds WHERE user_id = $1 AND status = 'active' AND expires_at > now()
                       AND ($2::uuid IS NULL OR event_id = $2) ORDER BY created_at DESC LIMIT 1)
      ORDER BY s.seat_index`,
    [userId, eventId ?? null],
  ));
  if (!rows.length) return null;
  const r0 = rows[0];
  return {
    id: r0.id,
    eventId: r0.event_id,
    userId: r0.user_id,
    currency: r0.currency,
    expiresAt: r0.expires_at,
    seats: rows
      .filter((r) => r.seat_id)
      .map((r) => ({ id: r.seat_id, index: r.seat_index, section: r.section, row: r.row_label, number: r.number, priceCents: r.price_cents })),
  };
}

/**
 * Release the user's own active hold in ONE statement (atomic without an explicit transaction):
 * the hold row is updated first (waiting for a checkout or expiry that holds its lock, then
 * re-checking `status = 'active'`), then its seats go back on sale — the same lock order as
 * checkout and expiry. Null when the hold is not theirs, unknown, or no longer active.
 */
export async function releaseOwnHold(
  db: Queryable,
  holdId: string,
  userId: string,
): Promise<{ hold: { id: string; eventId: string; createdAt: Date }; seats: ReleasedSeat[] } | null> {
  const { rows } = await db.query(
    named(
      'inv_release_own_hold',
      `WITH h AS (
         UPDATE holds SET status = 'released', ended_at = now()
          WHERE id = $1 AND user_id = $2 AND status = 'active'
         RETURNING id, event_id, created_at
       ), s AS (
         UPDATE event_seats es SET status = 'available', hold_id = NULL, holder_user_id = NULL, held_until = NULL, updated_at = now()
           FROM h WHERE es.hold_id = h.id
         RETURNING es.id, es.seat_index, es.event_id
       )
       SELECT h.id, h.event_id, h.created_at, s.id AS seat_id, s.seat_index FROM h LEFT JOIN s ON true`,
      [holdId, userId],
    ),
  );
  const r0 = rows[0];
  if (!r0) return null;
  return {
    hold: { id: r0.id, eventId: r0.event_id, createdAt: r0.created_at },
    seats: rows.filter((r) => r.seat_id).map((r) => ({ id: r.seat_id, index: r.seat_index, eventId: r.event_id, holdId: r.id })),
  };
}

/**
 * Active holds past their expiry, row-locked; SKIP LOCKED lets several workers split the work
 * and skips a hold that checkout is converting right now.
 */
export async function lockExpiredHolds(tx: Queryable, limit: number): Promise<{ id: string; eventId: string; createdAt: Date }[]> {
  const { rows } = await tx.query(named('inv_lock_expired_holds', 
    `SELECT id, event_id, created_at FROM holds
      WHERE status = 'active' AND expires_at < now()
      ORDER BY expires_at LIMIT $1
        FOR UPDATE SKIP LOCKED`,
    [limit],
  ));
  return rows.map((r) => ({ id: r.id, eventId: r.event_id, createdAt: r.created_at }));
}

/** Events that have active holds (the busy ones), oldest activity first; uses the partial index on active holds. */
export async function eventsWithActiveHolds(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query(
    named('inv_events_with_holds', `SELECT event_id FROM holds WHERE status = 'active' GROUP BY event_id ORDER BY min(expires_at) LIMIT $1`, [limit]),
  );
  return rows.map((r) => r.event_id as string);
}

