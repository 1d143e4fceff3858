import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { TEST_CARDS } from '../src/modules/payments/simulated-provider.js';
import { createTestContext, signedInAgent, type TestContext } from './context.js';
import { createTestEvent } from './factories.js';
import { startPrimaryAndReplica, type PgPrimaryReplica } from './servers/pg-replica.js';

// Discovery on a streaming replica (DATABASE_READ_URL): a primary and a replica of our own, from
// the PostgreSQL binaries (initdb, pg_basebackup -R). Replica lag is made visible by pausing WAL
// replay: discovery reads then see the old data while holds, checkout and admin writes, which run
// on the primary, see the new. docs/adr/0050-redis-cluster-and-read-replica.md

let servers: PgPrimaryReplica;
let ctx: TestContext;
let replica: pg.Pool;

beforeAll(async () => {
  servers = await startPrimaryAndReplica();
  await migrate(servers.primaryUrl);
  await servers.caughtUp();
  ctx = await createTestContext({ DATABASE_READ_URL: servers.replicaUrl }, { databaseUrl: servers.primaryUrl });
  replica = new pg.Pool({ connectionString: servers.replicaUrl, max: 2 });
});
afterAll(async () => {
  await servers?.resumeReplay().catch(() => {});
  await replica?.end();
  await ctx?.services.inventory.close();
  await ctx?.close();
  await servers?.stop();
});

const PAY = { cardNumber: TEST_CARDS.success, expMonth: 12, expYear: 2099, cvc: '123', name: 'Replica Test' };

/** Run `fn` with WAL replay paused on the replica (replication lag), resuming and catching up after. */
async function lagging<T>(fn: () => Promise<T>): Promise<T> {
  await servers.pauseReplay();
  try {
    return await fn();
  } finally {
    await servers.resumeReplay();
    await servers.caughtUp();
  }
}

describe('discovery on a read replica', () => {
  it('when DATABASE_READ_URL is set, then the read pool is connected to the replica and the main and holds pools to the primary', async () => {
    const readDb = ctx.deps.readDb!;
    expect(readDb).toBeDefined();
    expect(readDb).not.toBe(ctx.db);
    const inRecovery = async (p: pg.Pool) => (await p.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r;
    expect(await inRecovery(readDb)).toBe(true);
    expect(await inRecovery(ctx.db)).toBe(false);
    expect(await inRecovery(ctx.deps.holdsDb!)).toBe(false);
  });

  it('when replay is paused, then event search, lists, details and venues read the replica (old data) while the admin list and an admin write answer from the primary', async () => {
    const admin = await signedInAgent(ctx, { role: 'admin' });
    const city = `Lagtown-${randomUUID().slice(0, 8)}`;
    const ev = await lagging(async () => {
      const ev = await createTestEvent(ctx.db, { name: `Replica Gala ${city}`, city, venueName: `Hall ${city}` });
      // Discovery: the replica has not replayed the new rows yet.
      await ctx.agent().get(`/api/v1/events/${ev.eventId}`).expect(404);
      expect(
        (
          await ctx
            .agent()
            .get(`/api/v1/events?q=${encodeURIComponent(city)}`)
            .expect(200)
        ).body.total,
      ).toBe(0);
      await ctx.agent().get(`/api/v1/venues/${ev.venueId}`).expect(404);
      expect(
        (
          await ctx
            .agent()
            .get(`/api/v1/venues?city=${encodeURIComponent(city)}`)
            .expect(200)
        ).body.total,
      ).toBe(0);
      // The admin list reads the primary: an organizer sees what they just wrote.
      const adminList = await admin.agent.get(`/api/v1/admin/events?q=${encodeURIComponent(city)}`).expect(200);
      expect(adminList.body.items.map((e: { id: string }) => e.id)).toEqual([ev.eventId]);
      // An admin write answers with the row it wrote (read back from the primary), though discovery cannot see it yet.
      const renamed = await admin.agent
        .put(`/api/v1/admin/venues/${ev.venueId}`)
        .send({
          name: `Renamed ${city}`,
          city,
          address: '1 Main St',
          country: 'PT',
          timezone: 'Europe/Lisbon',
          sections: [{ name: 'Floor', priceTier: 1, priceCents: 1000, rows: [{ label: 'A', seats: [{ number: 1, x: 1, y: 1 }] }] }],
        });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe(`Renamed ${city}`);
      return ev;
    });
    // Replayed: discovery sees it all (event reads are cached; drop the cache as an admin edit does).
    await ctx.services.events.invalidate();
    await ctx.agent().get(`/api/v1/events/${ev.eventId}`).expect(200);
    expect(
      (
        await ctx
          .agent()
          .get(`/api/v1/events?q=${encodeURIComponent(city)}`)
          .expect(200)
      ).body.total,
    ).toBe(1);
    expect((await ctx.agent().get(`/api/v1/venues/${ev.venueId}`).expect(200)).body.name).toBe(`Renamed ${city}`);
  });

  it('when discovery reads run, then their connections are the read pool on the replica; holds and checkout never open one there', async () => {
    const ev = await createTestEvent(ctx.db);
    await servers.caughtUp();
    await ctx.agent().get(`/api/v1/events/${ev.eventId}`).expect(200);
    const { agent } = await signedInAgent(ctx);
    const hold = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] });
    expect(hold.status).toBe(201);
    await agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId: hold.body.id, payment: PAY }).expect(201);

    const apps = async (p: pg.Pool) =>
      new Set(
        (
          await p.query<{ a: string }>(
            `SELECT DISTINCT application_name AS a FROM pg_stat_activity WHERE datname = 'ticketing' AND application_name LIKE 'ticketing-api%'`,
          )
        ).rows.map((r) => r.a),
      );
    expect(await apps(replica)).toEqual(new Set(['ticketing-api-read']));
    const onPrimary = await apps(ctx.db);
    expect(onPrimary.has('ticketing-api')).toBe(true);
    expect(onPrimary.has('ticketing-api-holds')).toBe(true);
    expect(onPrimary.has('ticketing-api-read')).toBe(false);
  });

  it('when the replica lags behind, then holds and sales are decided on the primary: a seat sold meanwhile is refused to the next fan, and a new event can be held and bought', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 4 }] });
    await servers.caughtUp();
    const first = await signedInAgent(ctx);
    const second = await signedInAgent(ctx);
    await lagging(async () => {
      // Fan 1 holds and buys seat 0; the replica still shows it available.
      const hold = await first.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] });
      expect(hold.status).toBe(201);
      const order = await first.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId: hold.body.id, payment: PAY });
      expect(order.status).toBe(201);
      const stale = await replica.query(`SELECT status FROM event_seats WHERE id = $1`, [ev.seatIds[0]]);
      expect(stale.rows[0].status).toBe('available');
      // Fan 2 asks for the same seat: refused, whatever the replica says.
      const refused = await second.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('seats_unavailable');
      // Availability (the hot read) follows the primary through the Redis snapshot, not the replica.
      const avail = await second.agent.get(`/api/v1/events/${ev.eventId}/availability`).expect(200);
      expect(avail.body.statuses[0]).toBe('s');

      // An event the replica has never seen can be held and bought.
      const fresh = await createTestEvent(ctx.db);
      expect((await replica.query(`SELECT count(*)::int AS n FROM events WHERE id = $1`, [fresh.eventId])).rows[0].n).toBe(0);
      const h2 = await second.agent.post(`/api/v1/events/${fresh.eventId}/holds`).send({ seatIds: [fresh.seatIds[1]] });
      expect(h2.status).toBe(201);
      const o2 = await second.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId: h2.body.id, payment: PAY });
      expect(o2.status).toBe(201);
    });
    const { rows } = await ctx.db.query(
      `SELECT s.id, s.status, o.user_id FROM event_seats s JOIN orders o ON o.id = s.order_id WHERE s.status = 'sold' AND s.event_id = $1`,
      [ev.eventId],
    );
    expect(rows).toEqual([{ id: ev.seatIds[0], status: 'sold', user_id: first.user.id }]);
    // Caught up, the replica agrees.
    expect((await replica.query(`SELECT status FROM event_seats WHERE id = $1`, [ev.seatIds[0]])).rows[0].status).toBe('sold');
  });
});
