import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './context.js';
import { createTestEvent } from './factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('schema and factories', () => {
  it('when a test event is made, then every seat is available with a dense, unique index', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 3, seatsPerRow: 4 }, { rows: 2, seatsPerRow: 5 }] });
    expect(ev.seatIds).toHaveLength(22);
    const { rows } = await ctx.db.query(
      `SELECT min(seat_index) AS lo, max(seat_index) AS hi, count(DISTINCT seat_index) AS n, bool_and(status = 'available') AS free
         FROM event_seats WHERE event_id = $1`,
      [ev.eventId],
    );
    expect(rows[0]).toEqual({ lo: 0, hi: 21, n: 22, free: true });
  });

  it('when a seat is marked sold without an order, then the CHECK constraint refuses it', async () => {
    const ev = await createTestEvent(ctx.db);
    await expect(ctx.db.query(`UPDATE event_seats SET status = 'sold' WHERE id = $1`, [ev.seatIds[0]])).rejects.toMatchObject({ code: '23514' });
    await expect(ctx.db.query(`UPDATE event_seats SET status = 'held' WHERE id = $1`, [ev.seatIds[0]])).rejects.toMatchObject({ code: '23514' });
  });

  it('when the search document is built, then it covers name, performer, venue and city', async () => {
    const ev = await createTestEvent(ctx.db, { name: 'Midnight Sonata', performer: 'Lumen Quartet', venueName: 'Harbour Hall', city: 'Porto' });
    for (const word of ['midnight', 'lumen', 'harbour', 'porto']) {
      const { rowCount } = await ctx.db.query(`SELECT 1 FROM events WHERE id = $1 AND search @@ to_tsquery('simple', $2)`, [ev.eventId, word]);
      expect(rowCount, word).toBe(1);
    }
  });
});
