import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Hold } from '@ticketing/shared';
import { createTestContext, signedInAgent, TEST_PASSWORD, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { keys } from './inventory.scripts.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ HOLD_TTL_SECONDS: '600' });
});
afterAll(async () => {
  await ctx.services.inventory.close();
  await ctx.close();
});

type Res = { status: number; headers: Record<string, string>; body: Record<string, unknown> };
function expectProblem(res: Res, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.code).toBe(code);
}

async function seatRows(eventId: string) {
  const { rows } = await ctx.db.query(
    `SELECT id, seat_index, status, hold_id, holder_user_id FROM event_seats WHERE event_id = $1 ORDER BY seat_index`,
    [eventId],
  );
  return rows as { id: string; seat_index: number; status: string; hold_id: string | null; holder_user_id: string | null }[];
}
async function dbStatuses(eventId: string) {
  return (await seatRows(eventId)).map((r) => r.status[0]).join('');
}
async function activeHolds(eventId: string) {
  const { rows } = await ctx.db.query(`SELECT id, user_id FROM holds WHERE event_id = $1 AND status = 'active'`, [eventId]);
  return rows as { id: string; user_id: string }[];
}
async function lockValue(eventId: string, seatId: string) {
  // A lock's value is "<hold id>:<user id>"; the hold id is the token.
  return (await ctx.redis.get(keys.seat(eventId, seatId)))?.split(':')[0] ?? null;
}

describe('holds', () => {
  it('when a fan holds free seats, then 201 Hold, the seats are held by that hold in the DB and locked in Redis', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 10, priceCents: 2500 }] });
    const { agent, user } = await signedInAgent(ctx);
    const res = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0], ev.seatIds[1]] });
    expect(res.status).toBe(201);
    expect(Hold.safeParse(res.body).success).toBe(true);
    expect(res.body).toMatchObject({ eventId: ev.eventId, totalCents: 5000, currency: 'EUR' });
    expect(res.body.seats).toEqual([
      { id: ev.seatIds[0], section: 'Section 1', row: 'A', number: '1', priceCents: 2500 },
      { id: ev.seatIds[1], section: 'Section 1', row: 'A', number: '2', priceCents: 2500 },
    ]);
    const expiresIn = new Date(res.body.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(590_000);
    expect(expiresIn).toBeLessThan(610_000);
    const rows = await seatRows(ev.eventId);
    expect(rows.slice(0, 2).every((r) => r.status === 'held' && r.hold_id === res.body.id && r.holder_user_id === user.id)).toBe(true);
    expect(rows.slice(2).every((r) => r.status === 'available')).toBe(true);
    expect(await lockValue(ev.eventId, ev.seatIds[0]!)).toBe(res.body.id);

    const current = await agent.get(`/api/v1/holds/current?eventId=${ev.eventId}`);
    expect(current.status).toBe(200);
    expect(current.body).toEqual(res.body);
    expect((await agent.get('/api/v1/holds/current')).body.id).toBe(res.body.id);
  });

  it('when a seat is already held by someone else, then 409 seats_unavailable naming it, and nothing else is held (all-or-nothing)', async () => {
    const ev = await createTestEvent(ctx.db);
    const a = await signedInAgent(ctx);
    const b = await signedInAgent(ctx);
    expect((await a.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[3]] })).status).toBe(201);
    const res = await b.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[2], ev.seatIds[3]] });
    expectProblem(res, 409, 'seats_unavailable');
    expect(res.body.unavailableSeatIds).toEqual([ev.seatIds[3]]);
    const rows = await seatRows(ev.eventId);
    expect(rows[2]!.status).toBe('available');
    expect(await lockValue(ev.eventId, ev.seatIds[2]!)).toBeNull();
    expect((await activeHolds(ev.eventId)).map((h) => h.user_id)).toEqual([a.user.id]);
    expectProblem(await b.agent.get(`/api/v1/holds/current?eventId=${ev.eventId}`), 404, 'not_found');
  });

  it('when a seat was just locked by someone else, then the 409 comes from Redis alone: PostgreSQL is not asked', async () => {
    const ev = await createTestEvent(ctx.db);
    const a = await signedInAgent(ctx);
    const b = await signedInAgent(ctx);
    expect((await a.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[1]] })).status).toBe(201);
    const query = vi.spyOn(ctx.db, 'query');
    const connect = vi.spyOn(ctx.db, 'connect');
    try {
      const res = await b.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[1]] });
      expectProblem(res, 409, 'seats_unavailable');
      expect(res.body.unavailableSeatIds).toEqual([ev.seatIds[1]]);
      // event facts were cached by a's hold a moment ago; the lock is young → no SQL at all
      expect(query).not.toHaveBeenCalled();
      expect(connect).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
      connect.mockRestore();
    }
  });

  it('when a lock is older than 10 s, then it is taken over only if its hold is no longer active (PostgreSQL decides)', async () => {
    const ev = await createTestEvent(ctx.db);
    const a = await signedInAgent(ctx);
    const b = await signedInAgent(ctx);
    // Seat 0: a leftover lock (its hold never existed / ended), aged past 10 s of a 720 s lock.
    await ctx.redis.set(keys.seat(ev.eventId, ev.seatIds[0]!), `${randomUUID()}:${a.user.id}`, 'PX', 700_000);
    // Seat 1: a's real, active hold, its lock aged the same way.
    const held = await a.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[1]] });
    expect(held.status).toBe(201);
    await ctx.redis.pexpire(keys.seat(ev.eventId, ev.seatIds[1]!), 700_000);

    const refused = await b.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0], ev.seatIds[1]] });
    expectProblem(refused, 409, 'seats_unavailable');
    expect(refused.body.unavailableSeatIds).toEqual([ev.seatIds[1]]);
    const taken = await b.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] });
    expect(taken.status).toBe(201);
    expect(await lockValue(ev.eventId, ev.seatIds[0]!)).toBe(taken.body.id);
    expect((await seatRows(ev.eventId))[0]!.hold_id).toBe(taken.body.id);
  });

  it('when Redis has no lock but PostgreSQL says held (locks lost), then the hold is still refused', async () => {
    const ev = await createTestEvent(ctx.db);
    const a = await signedInAgent(ctx);
    const b = await signedInAgent(ctx);
    expect((await a.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] })).status).toBe(201);
    await ctx.redis.del(keys.seat(ev.eventId, ev.seatIds[0]!));
    const res = await b.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] });
    expectProblem(res, 409, 'seats_unavailable');
    expect(res.body.unavailableSeatIds).toEqual([ev.seatIds[0]]);
    expect(await activeHolds(ev.eventId)).toHaveLength(1);
  });

  it('when the same user holds again from a second session, then the first hold is replaced and its seats freed', async () => {
    const ev = await createTestEvent(ctx.db);
    const first = await signedInAgent(ctx);
    const second = ctx.agent();
    expect((await second.post('/api/v1/auth/login').send({ email: first.email, password: TEST_PASSWORD })).status).toBe(200);
    const h1 = await first.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0], ev.seatIds[1]] });
    expect(h1.status).toBe(201);
    // Keeps seat 1, drops seat 0, adds seat 2.
    const h2 = await second.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[1], ev.seatIds[2]] });
    expect(h2.status).toBe(201);
    const { rows: holds } = await ctx.db.query(`SELECT id, status FROM holds WHERE event_id = $1 ORDER BY created_at`, [ev.eventId]);
    expect(holds).toEqual([
      { id: h1.body.id, status: 'replaced' },
      { id: h2.body.id, status: 'active' },
    ]);
    const rows = await seatRows(ev.eventId);
    expect(rows[0]).toMatchObject({ status: 'available', hold_id: null });
    expect(rows[1]).toMatchObject({ status: 'held', hold_id: h2.body.id });
    expect(rows[2]).toMatchObject({ status: 'held', hold_id: h2.body.id });
    expect(await lockValue(ev.eventId, ev.seatIds[0]!)).toBeNull();
    expect(await lockValue(ev.eventId, ev.seatIds[1]!)).toBe(h2.body.id);
    const avail = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    expect(avail.statuses).toBe('ahh' + 'a'.repeat(7));
    expect((await first.agent.get(`/api/v1/holds/current?eventId=${ev.eventId}`)).body.id).toBe(h2.body.id);
  });

  it('when the ticket limit would be exceeded counting seats already bought, then 409 ticket_limit and nothing changes', async () => {
    const ev = await createTestEvent(ctx.db, { maxTicketsPerUser: 4 });
    const { agent, user } = await signedInAgent(ctx);
    const order = await ctx.db.query(
      `INSERT INTO orders (user_id, event_id, idempotency_key, request_hash, status, total_cents, currency, payment_id)
       VALUES ($1, $2, 'k-abcdefgh', 'h', 'completed', 0, 'EUR', 'p1') RETURNING id`,
      [user.id, ev.eventId],
    );
    await ctx.db.query(`UPDATE event_seats SET status = 'sold', order_id = $2 WHERE id = ANY($1)`, [[ev.seatIds[0], ev.seatIds[1]], order.rows[0].id]);
    const res = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: ev.seatIds.slice(2, 5) });
    expectProblem(res, 409, 'ticket_limit');
    expect(await activeHolds(ev.eventId)).toHaveLength(0);
    expect(await dbStatuses(ev.eventId)).toBe('ss' + 'a'.repeat(8));
    expect(await lockValue(ev.eventId, ev.seatIds[2]!)).toBeNull();
    // Two more are fine (2 bought + 2 held = 4).
    expect((await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: ev.seatIds.slice(2, 4) })).status).toBe(201);
  });

  it('when the event is not on sale (cancelled, not yet, started), then 409 event_not_on_sale and nothing is held', async () => {
    const { agent } = await signedInAgent(ctx);
    const cancelled = await createTestEvent(ctx.db, { cancelled: true });
    const early = await createTestEvent(ctx.db, { onSaleAt: new Date(Date.now() + 3600_000) });
    const started = await createTestEvent(ctx.db, { onSaleAt: new Date(Date.now() - 7200_000), startsAt: new Date(Date.now() - 3600_000) });
    for (const ev of [cancelled, early, started]) {
      expectProblem(await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] }), 409, 'event_not_on_sale');
      expect(await activeHolds(ev.eventId)).toHaveLength(0);
    }
  });

  it('when the event is high demand and the shopper has no admission, then 403 not_admitted', async () => {
    const ev = await createTestEvent(ctx.db, { highDemand: true });
    const { agent } = await signedInAgent(ctx);
    expectProblem(await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] }), 403, 'not_admitted');
    expect(await dbStatuses(ev.eventId)).toBe('a'.repeat(10));
  });

  it('when not signed in, then 401', async () => {
    const ev = await createTestEvent(ctx.db);
    expectProblem(await ctx.agent().post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] }), 401, 'unauthenticated');
    expectProblem(await ctx.agent().get('/api/v1/holds/current'), 401, 'unauthenticated');
  });

  it('when the input is bad (7 seats, duplicates, non-UUIDs, another event’s seat, empty), then 4xx problem+json and nothing changes', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 10 }] });
    const other = await createTestEvent(ctx.db);
    const { agent } = await signedInAgent(ctx);
    const url = `/api/v1/events/${ev.eventId}/holds`;
    expectProblem(await agent.post(url).send({ seatIds: ev.seatIds.slice(0, 7) }), 400, 'validation_failed');
    expectProblem(await agent.post(url).send({ seatIds: [ev.seatIds[0], ev.seatIds[0]] }), 400, 'validation_failed');
    expectProblem(await agent.post(url).send({ seatIds: ['not-a-uuid'] }), 400, 'validation_failed');
    expectProblem(await agent.post(url).send({ seatIds: [] }), 400, 'validation_failed');
    expectProblem(await agent.post(url).send({}), 400, 'validation_failed');
    expectProblem(await agent.post(url).send({ quantity: 0 }), 400, 'validation_failed');
    expectProblem(await agent.post('/api/v1/events/nope/holds').send({ seatIds: [ev.seatIds[0]] }), 400, 'validation_failed');
    const foreign = await agent.post(url).send({ seatIds: [ev.seatIds[0], other.seatIds[0]] });
    expectProblem(foreign, 409, 'seats_unavailable');
    expect(foreign.body.unavailableSeatIds).toEqual([other.seatIds[0]]);
    expect(await activeHolds(ev.eventId)).toHaveLength(0);
    expect(await activeHolds(other.eventId)).toHaveLength(0);
    expect(await dbStatuses(ev.eventId)).toBe('a'.repeat(10));
    expect(await dbStatuses(other.eventId)).toBe('a'.repeat(10));
    expect(await lockValue(ev.eventId, ev.seatIds[0]!)).toBeNull();
    expectProblem(await agent.post(`/api/v1/events/${randomUUID()}/holds`).send({ seatIds: [ev.seatIds[0]] }), 404, 'not_found');
  });

  it('when a user deletes their hold, then 204 and the seats are available at once; another user’s hold → 404', async () => {
    const ev = await createTestEvent(ctx.db);
    const owner = await signedInAgent(ctx);
    const stranger = await signedInAgent(ctx);
    const h = await owner.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0], ev.seatIds[1]] });
    expectProblem(await stranger.agent.delete(`/api/v1/holds/${h.body.id}`), 404, 'not_found');
    expect((await activeHolds(ev.eventId)).map((x) => x.id)).toEqual([h.body.id]);
    expect(await lockValue(ev.eventId, ev.seatIds[0]!)).toBe(h.body.id);

    expect((await owner.agent.delete(`/api/v1/holds/${h.body.id}`)).status).toBe(204);
    expect(await dbStatuses(ev.eventId)).toBe('a'.repeat(10));
    const { rows } = await ctx.db.query('SELECT status, ended_at FROM holds WHERE id = $1', [h.body.id]);
    expect(rows[0].status).toBe('released');
    expect(rows[0].ended_at).not.toBeNull();
    expect(await lockValue(ev.eventId, ev.seatIds[0]!)).toBeNull();
    // Someone else can take them right away.
    expect((await stranger.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] })).status).toBe(201);
    expectProblem(await owner.agent.delete(`/api/v1/holds/${h.body.id}`), 404, 'not_found');
    expectProblem(await owner.agent.delete(`/api/v1/holds/not-a-uuid`), 400, 'validation_failed');
  });
});

