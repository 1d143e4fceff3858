import type pg from 'pg';

export interface TestEventOptions {
  name?: string;
  category?: string;
  city?: string;
  venueName?: string;
  performer?: string;
  /** Sections, each with rows × seatsPerRow seats; defaults to one section of 1 × 10. */
  sections?: { name?: string; priceTier?: number; priceCents?: number; rows: number; seatsPerRow: number }[];
  onSaleAt?: Date;
  startsAt?: Date;
  highDemand?: boolean;
  maxTicketsPerUser?: number;
  admissionRatePerMinute?: number;
  maxConcurrentShoppers?: number;
  currency?: string;
  cancelled?: boolean;
}

export interface TestEvent {
  eventId: string;
  venueId: string;
  sectionIds: string[];
  /** Seat ids in seat_index order. */
  seatIds: string[];
}

/**
 * Insert a venue, an event and its seat inventory straight into the database (a test
 * factory, so tests of one module do not depend on another module's HTTP API).
 * Rows are labelled A, B, …; seats numbered 1..n; seat_index runs section by section.
 */
export async function createTestEvent(db: pg.Pool, o: TestEventOptions = {}): Promise<TestEvent> {
  const sections = o.sections ?? [{ rows: 1, seatsPerRow: 10 }];
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const venue = await client.query<{ id: string }>(`INSERT INTO venues (name, city) VALUES ($1, $2) RETURNING id`, [
      o.venueName ?? 'Test Arena',
      o.city ?? 'Testville',
    ]);
    const venueId = venue.rows[0]!.id;
    const now = Date.now();
    const ev = await client.query<{ id: string }>(
      `INSERT INTO events (venue_id, name, category, performer, starts_at, on_sale_at, high_demand, max_tickets_per_user,
                           admission_rate_per_minute, max_concurrent_shoppers, currency, cancelled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        venueId,
        o.name ?? 'Test Event',
        o.category ?? 'concert',
        o.performer ?? null,
        o.startsAt ?? new Date(now + 30 * 24 * 3600 * 1000),
        o.onSaleAt ?? new Date(now - 3600 * 1000),
        o.highDemand ?? false,
        o.maxTicketsPerUser ?? 8,
        o.admissionRatePerMinute ?? 120,
        o.maxConcurrentShoppers ?? 200,
        o.currency ?? 'EUR',
        o.cancelled ? new Date() : null,
      ],
    );
    const eventId = ev.rows[0]!.id;
    const sectionIds: string[] = [];
    let index = 0;
    for (const [si, s] of sections.entries()) {
      const sec = await client.query<{ id: string }>(
        `INSERT INTO event_sections (event_id, position, name, price_tier, price_cents) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [eventId, si, s.name ?? `Section ${si + 1}`, s.priceTier ?? si + 1, s.priceCents ?? 5000 - si * 1000],
      );
      const sectionId = sec.rows[0]!.id;
      sectionIds.push(sectionId);
      await client.query(
        `INSERT INTO event_seats (event_id, section_id, seat_index, row_label, row_position, number, seat_position, x, y)
         SELECT $1, $2, $3 + r * $5 + n, chr(65 + (r % 26)) || CASE WHEN r >= 26 THEN (r / 26)::text ELSE '' END, r, (n + 1)::text, n,
                n * 10, ($6 * 100) + r * 10
           FROM generate_series(0, $4 - 1) r, generate_series(0, $5 - 1) n`,
        [eventId, sectionId, index, s.rows, s.seatsPerRow, si],
      );
      index += s.rows * s.seatsPerRow;
    }
    await client.query('COMMIT');
    const seats = await db.query<{ id: string }>('SELECT id FROM event_seats WHERE event_id = $1 ORDER BY seat_index', [eventId]);
    return { eventId, venueId, sectionIds, seatIds: seats.rows.map((r) => r.id) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Insert an active hold on `seatIds` for `userId` straight into the database (seats must be
 * available): the hold row plus the seats marked held, as the holds API would leave them.
 * `expiresInSeconds` may be negative for an already expired hold.
 */
export async function createTestHold(
  db: pg.Pool,
  o: { eventId: string; userId: string; seatIds: string[]; expiresInSeconds?: number },
): Promise<{ holdId: string; expiresAt: Date }> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const h = await client.query<{ id: string; expires_at: Date }>(
      `INSERT INTO holds (event_id, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING id, expires_at`,
      [o.eventId, o.userId, o.expiresInSeconds ?? 600],
    );
    const hold = h.rows[0]!;
    const seats = await client.query(
      `UPDATE event_seats SET status = 'held', hold_id = $1, holder_user_id = $2, held_until = $3
        WHERE id = ANY($4::uuid[]) AND event_id = $5 AND status = 'available'`,
      [hold.id, o.userId, hold.expires_at, o.seatIds, o.eventId],
    );
    if (seats.rowCount !== o.seatIds.length) throw new Error('createTestHold: some seats are not available');
    await client.query('COMMIT');
    return { holdId: hold.id, expiresAt: hold.expires_at };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
