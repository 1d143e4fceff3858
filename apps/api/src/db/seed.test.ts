import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/context.js';
import { seed } from './seed.js';
import { SEED_EVENT_IDS } from './seed-data.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** Row counts and an md5 over every seeded id (and the event times), to compare two runs. */
async function fingerprint() {
  const { rows } = await ctx.db.query(`
    SELECT (SELECT count(*) FROM venues) AS venues,
           (SELECT count(*) FROM venue_seats) AS venue_seats,
           (SELECT count(*) FROM events) AS events,
           (SELECT count(*) FROM event_seats) AS event_seats,
           (SELECT count(*) FROM users) AS users,
           (SELECT md5(string_agg(id::text || starts_at::text || on_sale_at::text || coalesce(cancelled_at::text, ''), ',' ORDER BY id)) FROM events) AS events_md5,
           (SELECT md5(string_agg(id::text, ',' ORDER BY id)) FROM event_seats) AS seats_md5,
           (SELECT md5(string_agg(id::text || password_hash, ',' ORDER BY id)) FROM users) AS users_md5`);
  return rows[0];
}

describe('seed', () => {
  it('when run twice, then the second run changes nothing (same counts, same ids)', async () => {
    const first = await seed(ctx.databaseUrl);
    const after1 = await fingerprint();
    const second = await seed(ctx.databaseUrl);
    const after2 = await fingerprint();
    expect(first).toMatchObject({ venuesCreated: 5, eventsCreated: 14, usersCreated: 2 });
    expect(second).toEqual({ venuesCreated: 0, eventsCreated: 0, seatsGenerated: 0, usersCreated: 0 });
    expect(after2).toEqual(after1);
    expect(after1).toMatchObject({ venues: 5, events: 14, users: 2, event_seats: first.seatsGenerated });
  });

  it('when seeded, then events span cities, categories and every state, with a 20,000-seat high-demand event', async () => {
    await seed(ctx.databaseUrl);
    const list = await ctx.agent().get('/api/v1/admin/events');
    expect(list.status).toBe(401); // admin only: sign in with the seeded admin below
    const admin = ctx.agent();
    const login = await admin.post('/api/v1/auth/login').send({ email: 'admin@example.com', password: 'admin-password-1' });
    expect(login.body).toMatchObject({ role: 'admin' });
    const fan = await ctx.agent().post('/api/v1/auth/login').send({ email: 'fan@example.com', password: 'fan-password-1' });
    expect(fan.body).toMatchObject({ role: 'user' });

    const all = (await admin.get('/api/v1/admin/events').query({ limit: 100 })).body.items as { status: string; category: string; venue: { city: string } }[];
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(new Set(all.map((e) => e.venue.city)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(all.map((e) => e.category)).size).toBeGreaterThanOrEqual(5);
    for (const status of ['on_sale', 'upcoming', 'completed', 'cancelled']) expect(all.map((e) => e.status)).toContain(status);

    const big = await ctx.agent().get(`/api/v1/events/${SEED_EVENT_IDS.highDemand}`);
    expect(big.body).toMatchObject({ highDemand: true, status: 'on_sale', availability: { total: 20_000, available: 20_000 } });
    const { rows } = await ctx.db.query('SELECT count(*)::int AS n, count(DISTINCT price_tier)::int AS tiers FROM event_sections WHERE event_id = $1', [SEED_EVENT_IDS.highDemand]);
    expect(rows[0].n).toBeGreaterThanOrEqual(6);
    expect(rows[0].tiers).toBeGreaterThanOrEqual(3);
  });
});
