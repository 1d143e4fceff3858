import { named, type Queryable } from '../../platform/db.js';

/** One status character per seat, as in the availability string. */
export type StatusChar = 'a' | 'h' | 's';
/** A seat whose snapshot character changed: [seat_index, new status]. */
export type SeatChange = [index: number, status: StatusChar];

const STATUS_CHAR: Record<string, StatusChar> = { available: 'a', held: 'h', sold: 's' };

/** A seat row as the layout (seat map, best available) needs it. */
export interface LayoutSeatRow {
  id: string;
  sectionId: string;
  index: number;
  rowLabel: string;
  rowPosition: number;
  seatPosition: number;
  number: string;
  x: number;
  y: number;
  accessible: boolean;
}

export interface LayoutSectionRow {
  id: string;
  name: string;
  priceTier: number;
  priceCents: number;
}

/** The event's layout version, or null when the event does not exist. */
export async function findLayoutVersion(db: Queryable, eventId: string): Promise<number | null> {
  const { rows } = await db.query<{ layout_version: number }>(named('inv_layout_version', 'SELECT layout_version FROM events WHERE id = $1', [eventId]));
  return rows[0]?.layout_version ?? null;
}

/** Sections and seats of an event in display order (section, row, seat). */
export async function loadLayout(db: Queryable, eventId: string): Promise<{ sections: LayoutSectionRow[]; seats: LayoutSeatRow[] }> {
  const [sections, seats] = await Promise.all([
    db.query(`SELECT id, name, price_tier, price_cents FROM event_sections WHERE event_id = $1 ORDER BY position`, [eventId]),
    db.query(
      `SELECT id, section_id, seat_index, row_label, row_position, number, seat_position, x, y, accessible
         FROM event_seats WHERE event_id = $1
        ORDER BY section_id, row_position, row_label, seat_position, seat_index`,
      [eventId],
    ),
  ]);
  return {
    sections: sections.rows.map((r) => ({ id: r.id, name: r.name, priceTier: r.price_tier, priceCents: r.price_cents })),
    seats: seats.rows.map((r) => ({
      id: r.id,
      sectionId: r.section_id,
      index: r.seat_index,
      rowLabel: r.row_label,
      rowPosition: r.row_position,
      seatPosition: r.seat_position,
      number: r.number,
      x: r.x,
      y: r.y,
      accessible: r.accessible,
    })),
  };
}

/**
 * The truth for the availability snapshot: one character per seat_index, built in SQL so a
 * 20,000-seat event moves as one text value instead of 20,000 rows. Null when the event has no seats.
 */
export async function loadStatuses(db: Queryable, eventId: string): Promise<{ statuses: string; available: number; held: number; sold: number } | null> {
  const { rows } = await db.query(
    `SELECT string_agg(CASE status WHEN 'available' THEN 'a' WHEN 'held' THEN 'h' ELSE 's' END, '' ORDER BY seat_index) AS statuses,
            count(*) FILTER (WHERE status = 'available') AS available,
            count(*) FILTER (WHERE status = 'held') AS held,
            count(*) FILTER (WHERE status = 'sold') AS sold,
            count(*) AS total, max(seat_index) AS max_index
       FROM event_seats WHERE event_id = $1`,
    [eventId],
  );
  const r = rows[0];
  if (!r || !r.total) return null;
  // seat_index is dense (0..n-1) by construction; if it ever is not, the string would lie, so say so loudly.
  if (r.max_index !== r.total - 1) throw new Error(`event ${eventId}: seat_index is not dense (max ${r.max_index}, ${r.total} seats)`);
  return { statuses: r.statuses, available: r.available, held: r.held, sold: r.sold };
}

/** Counts by status straight from the table. */
export async function countByStatus(db: Queryable, eventId: string): Promise<{ available: number; held: number; sold: number }> {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'available') AS available, count(*) FILTER (WHERE status = 'held') AS held,
            count(*) FILTER (WHERE status = 'sold') AS sold
       FROM event_seats WHERE event_id = $1`,
    [eventId],
  );
  return { available: rows[0].available, held: rows[0].held, sold: rows[0].sold };
}

/** A seat locked for a hold, with what the Hold response shows. */
export interface LockedSeat {
  id: string;
  index: number;
  status: 'available' | 'held' | 'sold';
  holdId: string | null;
  section: string;
  row: string;
  number: string;
  priceCents: number;
}

/** What phase 2 learns in its one locking round trip. */
/**
 * The locked seat rows of one event, in seat order, mapped for the service. Seats of other
 * events were locked too (briefly, found by primary key) but are not this event's: left out.
 */
function lockedSeatsOf(rows: Record<string, any>[], eventId: string): LockedSeat[] {
  return rows
    .filter((r) => r.id && r.event_id === eventId)
    .sort((a, b) => a.seat_index - b.seat_index)
    .map((r) => ({
      id: r.id,
      index: r.seat_index,
      status: r.status,
      holdId: r.hold_id,
      section: r.section,
      row: r.row_label,
      number: r.number,
      priceCents: r.price_cents,
    }));
}

export interface HoldLocks {
  /** The requested seats of this event, row-locked (seats of other events are absent). */
  seats: LockedSeat[];
  /** The user's active hold on the event (row-locked), which a new hold replaces. */
  prevHold: { id: string; createdAt: Date } | null;
  /** Seats this user already bought for the event (ticket limit). */
  userSold: number;
  /** The event is on sale right now (checked inside the transaction, by PostgreSQL's clock). */
  onSale: boolean;
}

/**
 * Seat rows are found by primary key only (the event is checked on the returned rows): with an
 * `event_id = $2` condition PostgreSQL's generic plan for this prepared statement picks the
 * (event_id, status) index and reads the whole event.
 *
 * Phase 2's locks in ONE round trip, without waiting (NOWAIT: a concurrent taker makes this fail
 * at once with 55P03 instead of queueing behind it): the user's active hold row of the event,
 * then the requested seat rows. Also returns the user's bought-seat count and whether the event
 * is on sale. Lock order is hold row, then seat rows (as in checkout and expiry); with NOWAIT
 * this can never deadlock anyway.
 */
export async function lockForHold(tx: Queryable, eventId: string, userId: string, seatIds: string[]): Promise<HoldLocks> {
  const { rows } = await tx.query(named('inv_lock_for_hold', 
    `WITH prev AS (
       SELECT id, created_at FROM holds WHERE event_id = $2 AND user_id = $3 AND status = 'active' FOR UPDATE NOWAIT
     ), ctx AS (
       SELECT (SELECT id FROM prev) AS prev_id, (SELECT created_at FROM prev) AS prev_created_at,
              (SELECT count(*) FROM orders o JOIN event_seats so ON so.order_id = o.id
                WHERE o.user_id = $3 AND o.event_id = $2 AND so.status = 'sold') AS user_sold,
              (SELECT cancelled_at IS NULL AND on_sale_at <= now() AND starts_at > now() FROM events WHERE id = $2) AS on_sale
     ), seats AS (
       SELECT s.id, s.event_id, s.seat_index, s.status, s.hold_id, s.section_id, s.row_label, s.number
         FROM event_seats s WHERE s.id = ANY($1::uuid[])
          FOR UPDATE NOWAIT
     )
     SELECT ctx.*, seats.*,
            (SELECT name FROM event_sections WHERE id = seats.section_id) AS section,
            (SELECT price_cents FROM event_sections WHERE id = seats.section_id) AS price_cents
       FROM ctx LEFT JOIN seats ON true`,
    [seatIds, eventId, userId],
  ));
  const r0 = rows[0];
  return {
    prevHold: r0.prev_id ? { id: r0.prev_id, createdAt: r0.prev_created_at } : null,
    userSold: r0.user_sold,
    onSale: r0.on_sale === true,
    seats: lockedSeatsOf(rows, eventId),
  };
}

/**
 * The whole of phase 2 in ONE statement for the common case (the user has no active hold on the
 * event), atomic without an explicit transaction: the same NOWAIT locks and facts as
 * `lockForHold`, then — only if every requested seat of this event is available, the ticket
 * limit allows it, the event is on sale and there is no previous hold — insert the hold and
 * mark the seats held. `inserted` is null when it did not (the caller then decides why from the
 * facts, or takes the transaction path to replace a previous hold).
 */
export async function holdInOneStatement(
  db: Queryable,
  h: { id: string; eventId: string; userId: string; sessionId: string | null; ttlSeconds: number; seatIds: string[]; maxTickets: number },
): Promise<HoldLocks & { inserted: { expiresAt: Date; marked: number } | null }> {
  const { rows } = await db.query(
    named(
      'inv_hold_one_statement',
      `WITH prev AS (
         SELECT id, created_at FROM holds WHERE event_id = $2 AND user_id = $3 AND status = 'active' FOR UPDATE NOWAIT
       ), seats AS (
         SELECT s.id, s.event_id, s.seat_index, s.status, s.hold_id, s.section_id, s.row_label, s.number
           FROM event_seats s WHERE s.id = ANY($1::uuid[])
            FOR UPDATE NOWAIT
       ), ctx AS (
         SELECT (SELECT id FROM prev) AS prev_id, (SELECT created_at FROM prev) AS prev_created_at,
                (SELECT count(*) FROM orders o JOIN event_seats so ON so.order_id = o.id
                  WHERE o.user_id = $3 AND o.event_id = $2 AND so.status = 'sold') AS user_sold,
                (SELECT cancelled_at IS NULL AND on_sale_at <= now() AND starts_at > now() FROM events WHERE id = $2) AS on_sale,
                (SELECT count(*) FROM seats WHERE event_id = $2) AS found,
                (SELECT count(*) FROM seats WHERE event_id = $2 AND status = 'available') AS free
       ), ins AS (
         INSERT INTO holds (id, event_id, user_id, session_id, expires_at)
         SELECT $4, $2, $3, $5, now() + make_interval(secs => $6) FROM ctx
          WHERE ctx.prev_id IS NULL AND ctx.on_sale AND ctx.found = $7 AND ctx.free = $7 AND ctx.user_sold + $7 <= $8
         RETURNING id, expires_at
       ), upd AS (
         UPDATE event_seats es SET status = 'held', hold_id = ins.id, holder_user_id = $3, held_until = ins.expires_at, updated_at = now()
           FROM ins WHERE es.id = ANY($1::uuid[]) AND es.status = 'available'
         RETURNING es.id
       )
       SELECT ctx.*, (SELECT expires_at FROM ins) AS expires_at, (SELECT count(*) FROM upd) AS marked, seats.*,
              (SELECT name FROM event_sections WHERE id = seats.section_id) AS section,
              (SELECT price_cents FROM event_sections WHERE id = seats.section_id) AS price_cents
         FROM ctx LEFT JOIN seats ON true`,
      [h.seatIds, h.eventId, h.userId, h.id, h.sessionId, h.ttlSeconds, h.seatIds.length, h.maxTickets],
    ),
  );
  const r0 = rows[0];
  return {
    prevHold: r0.prev_id ? { id: r0.prev_id, createdAt: r0.prev_created_at } : null,
    userSold: r0.user_sold,
    onSale: r0.on_sale === true,
    inserted: r0.expires_at ? { expiresAt: r0.expires_at, marked: r0.marked } : null,
    seats: lockedSeatsOf(rows, h.eventId),
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

/**
 * Insert the hold and mark its seats held in one statement. Expiry is computed by PostgreSQL
 * (its clock is the one every instance shares).
 */
export async function insertHoldAndMarkSeats(
  tx: Queryable,
  h: { id: string; eventId: string; userId: string; sessionId: string | null; ttlSeconds: number; seatIds: string[] },
): Promise<{ expiresAt: Date; marked: number }> {
  const { rows } = await tx.query(named('inv_insert_hold', 
    `WITH h AS (
       INSERT INTO holds (id, event_id, user_id, session_id, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       RETURNING id, expires_at
     ), s AS (
       UPDATE event_seats SET status = 'held', hold_id = h.id, holder_user_id = $3, held_until = h.expires_at, updated_at = now()
         FROM h WHERE event_seats.id = ANY($6::uuid[])
       RETURNING event_seats.id
     )
     SELECT (SELECT expires_at FROM h) AS expires_at, (SELECT count(*) FROM s) AS marked`,
    [h.id, h.eventId, h.userId, h.sessionId, h.ttlSeconds, h.seatIds],
  ));
  return { expiresAt: rows[0].expires_at, marked: rows[0].marked };
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

export function statusChar(status: string): StatusChar {
  return STATUS_CHAR[status] ?? 's';
}
