import type { EventInput } from '@ticketing/shared';
import type { Queryable } from '../../platform/db.js';

/**
 * Parameters $2..$13 shared by insert and update, in column order; a setting left out is
 * null (the SQL supplies the default or keeps the stored value).
 */
function eventValues(e: EventInput): unknown[] {
  return [
    e.venueId,
    e.name,
    e.category,
    e.performer ?? null,
    e.description ?? null,
    e.startsAt,
    e.onSaleAt,
    e.currency ?? null,
    e.highDemand ?? null,
    e.maxTicketsPerUser ?? null,
    e.admissionRatePerMinute ?? null,
    e.maxConcurrentShoppers ?? null,
  ];
}

/** Insert an event row; with a fixed `id` that already exists nothing happens and null is returned. */
export async function insertEvent(db: Queryable, e: EventInput & { id?: string }): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO events (id, venue_id, name, category, performer, description, starts_at, on_sale_at, currency, high_demand,
                         max_tickets_per_user, admission_rate_per_minute, max_concurrent_shoppers)
     VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, nullif($5, ''), nullif($6, ''), $7, $8, coalesce($9, 'EUR'), coalesce($10, false),
             coalesce($11, 8), coalesce($12, 120), coalesce($13, 200))
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [e.id ?? null, ...eventValues(e)],
  );
  return rows[0]?.id ?? null;
}

/**
 * Copy the venue's sections into event_sections and generate one event_seats row per venue
 * seat, in two INSERT … SELECT statements. `seat_index` is dense 0..n-1 ordered section by
 * section (section position), row by row (a row's first seat position), seat by seat;
 * `row_position` / `seat_position` are the row's rank in its section and the seat's rank in its row.
 * Returns the number of seats generated.
 */
export async function generateEventSeats(db: Queryable, eventId: string, venueId: string): Promise<number> {
  await db.query(
    `INSERT INTO event_sections (event_id, position, name, price_tier, price_cents)
     SELECT $1, position, name, price_tier, price_cents FROM venue_sections WHERE venue_id = $2`,
    [eventId, venueId],
  );
  const { rowCount } = await db.query(
    `INSERT INTO event_seats (event_id, section_id, seat_index, row_label, row_position, number, seat_position, x, y, accessible)
     SELECT $1, es.id,
            (row_number() OVER (ORDER BY t.section_position, t.row_first, t.position) - 1)::int,
            t.row_label,
            (dense_rank() OVER (PARTITION BY t.section_position ORDER BY t.row_first) - 1)::int,
            t.number,
            (row_number() OVER (PARTITION BY t.section_position, t.row_first ORDER BY t.position) - 1)::int,
            t.x, t.y, t.accessible
       FROM (SELECT s.position AS section_position, s.name AS section_name, vs.position, vs.row_label, vs.number, vs.x, vs.y, vs.accessible,
                    min(vs.position) OVER (PARTITION BY vs.section_id, vs.row_label) AS row_first
               FROM venue_sections s JOIN venue_seats vs ON vs.section_id = s.id
              WHERE s.venue_id = $2) t
       JOIN event_sections es ON es.event_id = $1 AND es.name = t.section_name`,
    [eventId, venueId],
  );
  return rowCount ?? 0;
}

/** The event row locked for an update, with whether it already has seats; null when missing. */
export async function lockEventForUpdate(db: Queryable, id: string): Promise<{ venueId: string; hasSeats: boolean } | null> {
  const { rows } = await db.query<{ venue_id: string; has_seats: boolean }>(
    `SELECT venue_id, EXISTS (SELECT 1 FROM event_seats WHERE event_id = e.id) AS has_seats FROM events e WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ? { venueId: rows[0].venue_id, hasSeats: rows[0].has_seats } : null;
}

/**
 * Apply an admin edit. Optional settings left out of the body keep their stored value;
 * an empty performer or description clears it.
 */
export async function updateEvent(db: Queryable, id: string, e: EventInput): Promise<void> {
  await db.query(
    `UPDATE events SET venue_id = $2, name = $3, category = $4,
            performer = CASE WHEN $5::text IS NULL THEN performer ELSE nullif($5, '') END,
            description = CASE WHEN $6::text IS NULL THEN description ELSE nullif($6, '') END,
            starts_at = $7, on_sale_at = $8,
            currency = coalesce($9, currency), high_demand = coalesce($10, high_demand),
            max_tickets_per_user = coalesce($11, max_tickets_per_user),
            admission_rate_per_minute = coalesce($12, admission_rate_per_minute),
            max_concurrent_shoppers = coalesce($13, max_concurrent_shoppers),
            updated_at = now()
      WHERE id = $1`,
    [id, ...eventValues(e)],
  );
}

/**
 * Lock the venue row so its layout cannot change while this event copies it (FOR SHARE: a read
 * lock; the venues module owns the row); false when the venue does not exist.
 */
export async function lockVenueLayoutForShare(db: Queryable, venueId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM venues WHERE id = $1 FOR SHARE', [venueId]);
  return rowCount === 1;
}

/** An event's waiting-room admission settings as stored. */
export interface QueueSettingsRow {
  admissionRatePerMinute: number;
  maxConcurrentShoppers: number;
}

/** Update an event's admission settings (a setting left out keeps its value); null when the event does not exist. */
export async function updateQueueSettings(
  db: Queryable,
  eventId: string,
  input: { admissionRatePerMinute?: number; maxConcurrentShoppers?: number },
): Promise<QueueSettingsRow | null> {
  const { rows } = await db.query(
    `UPDATE events
        SET admission_rate_per_minute = COALESCE($2, admission_rate_per_minute),
            max_concurrent_shoppers = COALESCE($3, max_concurrent_shoppers),
            updated_at = now()
      WHERE id = $1
      RETURNING admission_rate_per_minute, max_concurrent_shoppers`,
    [eventId, input.admissionRatePerMinute ?? null, input.maxConcurrentShoppers ?? null],
  );
  const r = rows[0];
  return r ? { admissionRatePerMinute: r.admission_rate_per_minute, maxConcurrentShoppers: r.max_concurrent_shoppers } : null;
}

/** Remove an event's (seatless) section copies before it moves to another venue. */
export async function deleteEventSections(db: Queryable, eventId: string): Promise<void> {
  await db.query('DELETE FROM event_sections WHERE event_id = $1', [eventId]);
}

/**
 * Mark an event cancelled without touching orders. Only the seed uses it (for an event that
 * has none); the admin cancellation use case also refunds orders.
 */
export async function markEventCancelled(db: Queryable, eventId: string): Promise<void> {
  await db.query('UPDATE events SET cancelled_at = now(), updated_at = now() WHERE id = $1 AND cancelled_at IS NULL', [eventId]);
}

/** Mark the event's seat layout as changed, so cached seat maps (keyed by this version) are rebuilt. */
export async function bumpLayoutVersion(db: Queryable, eventId: string): Promise<void> {
  await db.query('UPDATE events SET layout_version = layout_version + 1 WHERE id = $1', [eventId]);
}
