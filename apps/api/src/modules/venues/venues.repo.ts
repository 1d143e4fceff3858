import type { Venue, VenueInput, VenueSummary } from '@ticketing/shared';
import type { Queryable } from '../../platform/db.js';

interface VenueRow {
  id: string;
  name: string;
  city: string;
  address: string | null;
  country: string | null;
  timezone: string;
  total_seats: number;
}

const VENUE_COLUMNS = `v.id, v.name, v.city, v.address, v.country, v.timezone,
  (SELECT count(*) FROM venue_seats vs JOIN venue_sections s ON s.id = vs.section_id WHERE s.venue_id = v.id) AS total_seats`;

function toVenueSummary(r: VenueRow): VenueSummary {
  return { id: r.id, name: r.name, city: r.city, address: r.address, country: r.country, timezone: r.timezone, totalSeats: r.total_seats };
}

type VenueFields = Pick<VenueInput, 'name' | 'city' | 'address' | 'country' | 'timezone'>;

/** Insert a venue row; with a fixed `id` that already exists nothing happens and null is returned. */
export async function insertVenue(db: Queryable, v: VenueFields & { id?: string }): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO venues (id, name, city, address, country, timezone)
     VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, coalesce($6, 'UTC'))
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [v.id ?? null, v.name, v.city, v.address ?? null, v.country ?? null, v.timezone ?? null],
  );
  return rows[0]?.id ?? null;
}

/** Update a venue's own fields; false when it does not exist. */
export async function updateVenue(db: Queryable, id: string, v: VenueFields): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE venues SET name = $2, city = $3, address = $4, country = $5, timezone = coalesce($6, timezone), updated_at = now()
      WHERE id = $1`,
    [id, v.name, v.city, v.address ?? null, v.country ?? null, v.timezone ?? null],
  );
  return rowCount === 1;
}

/**
 * Replace the venue's section layout. Two set-based INSERTs (sections, then every seat through
 * unnest arrays) so a 20,000-seat venue costs three statements, not 20,000 round trips.
 * Seat `position` runs 0..n-1 inside a section in the order given: row by row, seat by seat.
 * Events keep their own copies, so replacing the template never moves a sold seat.
 */
export async function replaceVenueLayout(db: Queryable, venueId: string, sections: VenueInput['sections']): Promise<void> {
  await db.query('DELETE FROM venue_sections WHERE venue_id = $1', [venueId]);
  await db.query(
    `INSERT INTO venue_sections (venue_id, position, name, price_tier, price_cents)
     SELECT $1, t.position, t.name, t.price_tier, t.price_cents
       FROM unnest($2::int[], $3::text[], $4::int[], $5::int[]) AS t(position, name, price_tier, price_cents)`,
    [venueId, sections.map((_, i) => i), sections.map((s) => s.name), sections.map((s) => s.priceTier), sections.map((s) => s.priceCents)],
  );
  const secPos: number[] = [];
  const pos: number[] = [];
  const rowLabel: string[] = [];
  const num: string[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const acc: boolean[] = [];
  sections.forEach((s, si) => {
    let p = 0;
    for (const row of s.rows) {
      for (const seat of row.seats) {
        secPos.push(si);
        pos.push(p++);
        rowLabel.push(row.label);
        num.push(String(seat.number));
        xs.push(seat.x);
        ys.push(seat.y);
        acc.push(seat.accessible ?? false);
      }
    }
  });
  await db.query(
    `INSERT INTO venue_seats (section_id, position, row_label, number, x, y, accessible)
     SELECT s.id, t.position, t.row_label, t.number, t.x, t.y, t.accessible
       FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::real[], $7::real[], $8::boolean[])
            AS t(section_position, position, row_label, number, x, y, accessible)
       JOIN venue_sections s ON s.venue_id = $1 AND s.position = t.section_position`,
    [venueId, secPos, pos, rowLabel, num, xs, ys, acc],
  );
}

export async function findVenueSummary(db: Queryable, id: string): Promise<VenueSummary | null> {
  const { rows } = await db.query<VenueRow>(`SELECT ${VENUE_COLUMNS} FROM venues v WHERE v.id = $1`, [id]);
  return rows[0] ? toVenueSummary(rows[0]) : null;
}

/** The venue's section layout, sections by position, rows in first-seen order, seats by position. */
export async function findVenueLayout(db: Queryable, venueId: string): Promise<Venue['sections']> {
  const { rows } = await db.query<{
    id: string;
    name: string;
    price_tier: number;
    price_cents: number;
    row_label: string | null;
    number: string | null;
    x: number | null;
    y: number | null;
    accessible: boolean | null;
  }>(
    `SELECT s.id, s.name, s.price_tier, s.price_cents, vs.row_label, vs.number, vs.x, vs.y, vs.accessible
       FROM venue_sections s LEFT JOIN venue_seats vs ON vs.section_id = s.id
      WHERE s.venue_id = $1
      ORDER BY s.position, vs.position`,
    [venueId],
  );
  const sections: Venue['sections'] = [];
  const byId = new Map<string, { section: Venue['sections'][number]; rows: Map<string, Venue['sections'][number]['rows'][number]> }>();
  for (const r of rows) {
    let entry = byId.get(r.id);
    if (!entry) {
      const section = { id: r.id, name: r.name, priceTier: r.price_tier, priceCents: r.price_cents, rows: [] };
      entry = { section, rows: new Map() };
      byId.set(r.id, entry);
      sections.push(section);
    }
    if (r.row_label === null) continue;
    let row = entry.rows.get(r.row_label);
    if (!row) {
      row = { label: r.row_label, seats: [] };
      entry.rows.set(r.row_label, row);
      entry.section.rows.push(row);
    }
    row.seats.push({ number: r.number!, x: r.x!, y: r.y!, ...(r.accessible ? { accessible: true } : {}) });
  }
  return sections;
}

/** A page of venues, optionally in one city (case-insensitive), by name. */
export async function listVenues(db: Queryable, q: { city?: string; limit: number; offset: number }): Promise<{ items: VenueSummary[]; total: number }> {
  const where = q.city ? 'WHERE lower(v.city) = lower($3)' : '';
  const params: unknown[] = [q.limit, q.offset];
  if (q.city) params.push(q.city);
  const [page, count] = await Promise.all([
    db.query<VenueRow>(`SELECT ${VENUE_COLUMNS} FROM venues v ${where} ORDER BY v.name, v.id LIMIT $1 OFFSET $2`, params),
    db.query<{ n: number }>(`SELECT count(*) AS n FROM venues v ${q.city ? 'WHERE lower(v.city) = lower($1)' : ''}`, q.city ? [q.city] : []),
  ]);
  return { items: page.rows.map(toVenueSummary), total: count.rows[0]!.n };
}
