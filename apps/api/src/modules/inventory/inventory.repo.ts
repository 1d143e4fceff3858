import { named, type Queryable } from '../../platform/db.js';

/** One status character per seat, as in the availability string. */
export type StatusChar = 'a' | 'h' | 's';
/** A seat whose snapshot character changed: [seat_index, new status]. */
export type SeatChange = [index: number, status: StatusChar];

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
