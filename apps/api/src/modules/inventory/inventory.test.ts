import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Availability, AvailabilityChanges, Hold, SeatMap } from '@ticketing/shared';
import { createTestContext, signedInAgent, TEST_PASSWORD, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { holdExpiryWorker } from './inventory.worker.js';
import { keys } from './inventory.scripts.js';
import { AVAILABILITY_CACHE_CONTROL } from './inventory.routes.js';
import { expireHoldsNow, waitUntil } from './inventory.test-support.js';

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

describe('seat map', () => {
  it('when fetched, then every seat has its index, sections carry prices, and a strong ETag answers 304', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 2, seatsPerRow: 3, priceCents: 9000 }, { rows: 1, seatsPerRow: 4, priceCents: 4000 }] });
    const res = await ctx.agent().get(`/api/v1/events/${ev.eventId}/seatmap`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/public, max-age=\d+/);
    expect(res.headers.etag).toMatch(/^"sm-/);
    expect(SeatMap.safeParse(res.body).success).toBe(true);
    expect(res.body.eventId).toBe(ev.eventId);
    expect(res.body.sections).toHaveLength(2);
    expect(res.body.sections[0]).toMatchObject({ id: ev.sectionIds[0], priceCents: 9000, priceTier: 1 });
    expect(res.body.sections[0].rows.map((r: { label: string }) => r.label)).toEqual(['A', 'B']);
    const seats = res.body.sections.flatMap((s: { rows: { seats: { id: string; index: number }[] }[] }) => s.rows.flatMap((r) => r.seats));
    expect(seats).toHaveLength(10);
    expect(seats.map((s: { index: number }) => s.index).sort((a: number, b: number) => a - b)).toEqual([...Array(10).keys()]);
    for (const s of seats) expect(ev.seatIds[s.index]).toBe(s.id);
    expect(res.body.width).toBeGreaterThan(0);
    expect(res.body.height).toBeGreaterThan(0);

    const again = await ctx.agent().get(`/api/v1/events/${ev.eventId}/seatmap`).set('If-None-Match', res.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('when the layout version is bumped, then the ETag changes', async () => {
    const ev = await createTestEvent(ctx.db);
    const a = await ctx.agent().get(`/api/v1/events/${ev.eventId}/seatmap`);
    await ctx.db.query('UPDATE events SET layout_version = layout_version + 1 WHERE id = $1', [ev.eventId]);
    const b = await ctx.agent().get(`/api/v1/events/${ev.eventId}/seatmap`).set('If-None-Match', a.headers.etag!);
    expect(b.status).toBe(200);
    expect(b.headers.etag).not.toBe(a.headers.etag);
  });

  it('when the event does not exist, then 404 problem+json', async () => {
    expectProblem(await ctx.agent().get(`/api/v1/events/${randomUUID()}/seatmap`), 404, 'not_found');
    expectProblem(await ctx.agent().get(`/api/v1/events/${randomUUID()}/availability`), 404, 'not_found');
  });
});

describe('availability', () => {
  it('when fetched, then statuses has one char per seat, counts add up, and a matching ETag answers 304', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 2, seatsPerRow: 5 }] });
    const res = await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe(AVAILABILITY_CACHE_CONTROL);
    expect(Availability.safeParse(res.body).success).toBe(true);
    expect(res.body).toMatchObject({ eventId: ev.eventId, statuses: 'a'.repeat(10), counts: { available: 10, held: 0, sold: 0 } });
    expect(res.headers.etag).toBe(`"av-${res.body.version}"`);
    const again = await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`).set('If-None-Match', res.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('when a seat is held and released, then the version increments each time and the statuses follow', async () => {
    const ev = await createTestEvent(ctx.db);
    const { agent } = await signedInAgent(ctx);
    const v0 = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    const hold = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[2]] });
    expect(hold.status).toBe(201);
    const v1 = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    expect(v1.version).toBeGreaterThan(v0.version);
    expect(v1.statuses).toBe('aah' + 'a'.repeat(7));
    expect(v1.counts).toEqual({ available: 9, held: 1, sold: 0 });
    const stale = await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`).set('If-None-Match', `W/"av-${v0.version}"`);
    expect(stale.status).toBe(200);
    expect((await agent.delete(`/api/v1/holds/${hold.body.id}`)).status).toBe(204);
    const v2 = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    expect(v2.version).toBeGreaterThan(v1.version);
    expect(v2.statuses).toBe('a'.repeat(10));
  });

  it('when the Redis snapshot is missing, then it is rebuilt from PostgreSQL (the truth)', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 4 }] });
    await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`);
    // Change PostgreSQL behind the snapshot's back, then lose the snapshot.
    const { user } = await signedInAgent(ctx);
    const order = await ctx.db.query(
      `INSERT INTO orders (user_id, event_id, idempotency_key, request_hash, status, total_cents, currency, payment_id)
       VALUES ($1, $2, 'k-12345678', 'h', 'completed', 0, 'EUR', 'p1') RETURNING id`,
      [user.id, ev.eventId],
    );
    await ctx.db.query(`UPDATE event_seats SET status = 'sold', order_id = $2 WHERE id = $1`, [ev.seatIds[1], order.rows[0].id]);
    await ctx.redis.del(keys.statuses(ev.eventId), keys.meta(ev.eventId));
    // The in-process copy of a snapshot is trusted for up to a second without asking Redis: move the clock past it.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1_100 });
    let res;
    try {
      res = await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`);
    } finally {
      vi.useRealTimers();
    }
    expect(res.body.statuses).toBe('asaa');
    expect(res.body.counts).toEqual({ available: 3, held: 0, sold: 1 });
  });

  it('when a stream client listens and a seat is held, then it receives an availability message with the change', async () => {
    const ev = await createTestEvent(ctx.db);
    const { agent } = await signedInAgent(ctx);
    const base = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    const server = ctx.app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const ctrl = new AbortController();
      const resp = await fetch(`http://127.0.0.1:${port}/api/v1/events/${ev.eventId}/availability/stream`, { signal: ctrl.signal });
      expect(resp.status).toBe(200);
      expect(resp.headers.get('content-type')).toMatch(/text\/event-stream/);
      expect(resp.headers.get('x-accel-buffering')).toBe('no');
      const reader = resp.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      // Wait for the connected comment (subscription set up), then hold a seat.
      while (!text.includes(': connected')) text += decoder.decode((await reader.read()).value);
      await new Promise((r) => setTimeout(r, 100));
      const hold = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[4], ev.seatIds[5]] });
      expect(hold.status).toBe(201);
      const deadline = Date.now() + 5000;
      while (!text.includes('event: availability') && Date.now() < deadline) text += decoder.decode((await reader.read()).value);
      const data = /event: availability\ndata: (.*)\n\n/.exec(text)?.[1];
      expect(data).toBeDefined();
      const msg = AvailabilityChanges.parse(JSON.parse(data!));
      expect(msg.version).toBe(base.version + 1);
      expect(msg.changes).toEqual([
        [4, 'h'],
        [5, 'h'],
      ]);
      ctrl.abort();
      await new Promise((r) => setTimeout(r, 100));
      expect(ctx.services.inventory.stream.size).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('availability stream shutdown', () => {
  it('when the inventory is closed (shutdown), then open streams are ended so the server can close', async () => {
    const other = ctx.sibling();
    const ev = await createTestEvent(ctx.db);
    const server = other.app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const resp = await fetch(`http://127.0.0.1:${port}/api/v1/events/${ev.eventId}/availability/stream`);
      const reader = resp.body!.getReader();
      await reader.read(); // the connected comment
      expect(other.services.inventory.stream.size).toBe(1);
      await other.services.inventory.close();
      const deadline = Date.now() + 3000;
      let done = false;
      while (!done && Date.now() < deadline) done = (await reader.read()).done;
      expect(done).toBe(true);
      expect(other.services.inventory.stream.size).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

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

describe('holds and checkout', () => {
  it('when a release races a checkout that holds the hold row and sells it, then the release gets 404 and the seats stay sold', async () => {
    const ev = await createTestEvent(ctx.db);
    const { agent, user } = await signedInAgent(ctx);
    const h = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0], ev.seatIds[1]] });
    expect(h.status).toBe(201);
    const client = await ctx.db.connect();
    try {
      // Checkout's protocol: lock the hold row first, then convert it and sell its seats.
      await client.query('BEGIN');
      await client.query('SELECT id FROM holds WHERE id = $1 FOR UPDATE', [h.body.id]);
      const release = agent.delete(`/api/v1/holds/${h.body.id}`).then((r) => r);
      // The release is now waiting on the hold row.
      await waitUntil(async () => (await ctx.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n > 0, 5_000, 'the release to wait on the hold row');
      const order = await client.query(
        `INSERT INTO orders (user_id, event_id, hold_id, idempotency_key, request_hash, status, total_cents, currency, payment_id)
         VALUES ($1, $2, $3, 'k-race-0001', 'h', 'completed', 0, 'EUR', 'p1') RETURNING id`,
        [user.id, ev.eventId, h.body.id],
      );
      await client.query(`UPDATE holds SET status = 'converted', ended_at = now() WHERE id = $1`, [h.body.id]);
      await client.query(`UPDATE event_seats SET status = 'sold', order_id = $2, hold_id = NULL, held_until = NULL WHERE hold_id = $1`, [
        h.body.id,
        order.rows[0].id,
      ]);
      await client.query('COMMIT');
      expectProblem(await release, 404, 'not_found');
    } finally {
      client.release();
    }
    expect((await dbStatuses(ev.eventId)).slice(0, 3)).toBe('ssa');
    const { rows } = await ctx.db.query('SELECT status FROM holds WHERE id = $1', [h.body.id]);
    expect(rows[0].status).toBe('converted');
  });

  it('when seats change, then the inventory metrics count them', async () => {
    const ev = await createTestEvent(ctx.db);
    const { agent } = await signedInAgent(ctx);
    const h = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0], ev.seatIds[1]] });
    await agent.delete(`/api/v1/holds/${h.body.id}`);
    const text = await ctx.deps.metrics.registry.metrics();
    expect(text).toMatch(/inventory_seats_reserved_total\{[^}]*\} [1-9]/);
    expect(text).toMatch(/inventory_seats_released_total\{[^}]*reason="released"[^}]*\} [1-9]/);
    expect(text).toMatch(/inventory_lock_attempts_total\{[^}]*result="acquired"[^}]*\} [1-9]/);
    expect(text).toMatch(/inventory_hold_duration_seconds_count\{[^}]*ended="released"[^}]*\} [1-9]/);
  });
});

describe('hold expiry', () => {
  it('when a hold has expired, then the worker returns its seats, deletes its locks and updates the snapshot; two workers at once are safe', async () => {
    const short = ctx.sibling({ HOLD_TTL_SECONDS: '1' });
    const ev = await createTestEvent(ctx.db);
    const users = await Promise.all([signedInAgent({ agent: short.agent, db: ctx.db }), signedInAgent({ agent: short.agent, db: ctx.db }), signedInAgent({ agent: short.agent, db: ctx.db })]);
    const holds = [];
    for (const [i, u] of users.entries()) {
      const r = await u.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[i * 2], ev.seatIds[i * 2 + 1]] });
      expect(r.status).toBe(201);
      holds.push(r.body.id as string);
    }
    const before = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    expect(before.counts.held).toBe(6);
    // Not yet expired: nothing happens.
    expect(await holdExpiryWorker(ctx.services.inventory).run()).toBe(0);
    await expireHoldsNow(ctx.db, { holdIds: holds });

    const [a, b] = await Promise.all([holdExpiryWorker(ctx.services.inventory).run(), holdExpiryWorker(short.services.inventory).run()]);
    expect(Number(a) + Number(b)).toBe(3);
    const { rows } = await ctx.db.query(`SELECT status, count(*)::int AS n FROM holds WHERE event_id = $1 GROUP BY status`, [ev.eventId]);
    expect(rows).toEqual([{ status: 'expired', n: 3 }]);
    expect(await dbStatuses(ev.eventId)).toBe('a'.repeat(10));
    for (let i = 0; i < 6; i++) expect(await lockValue(ev.eventId, ev.seatIds[i]!)).toBeNull();
    const after = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    expect(after.statuses).toBe('a'.repeat(10));
    expect(after.version).toBeGreaterThan(before.version);
    expectProblem(await users[0]!.agent.get(`/api/v1/holds/current?eventId=${ev.eventId}`), 404, 'not_found');
  });

  it('when checkout holds the hold row (converting it), then the worker skips it and leaves it alone', async () => {
    const short = ctx.sibling({ HOLD_TTL_SECONDS: '1' });
    const ev = await createTestEvent(ctx.db);
    const u = await signedInAgent({ agent: short.agent, db: ctx.db });
    const h = await u.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] });
    await expireHoldsNow(ctx.db, { holdIds: [h.body.id] });
    const client = await ctx.db.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT id FROM holds WHERE id = $1 FOR UPDATE', [h.body.id]);
      expect(await ctx.services.inventory.expireDueHolds()).toBe(0);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await seatRows(ev.eventId))[0]!.status).toBe('held');
    expect(await ctx.services.inventory.expireDueHolds()).toBe(1);
  });
});

describe('best available', () => {
  it('when asking for 3, then 3 adjacent seats in the best tier closest to the row centre are held', async () => {
    const ev = await createTestEvent(ctx.db, {
      sections: [
        { name: 'Cheap', priceTier: 2, priceCents: 1000, rows: 1, seatsPerRow: 10 },
        { name: 'Best', priceTier: 1, priceCents: 8000, rows: 2, seatsPerRow: 9 },
      ],
    });
    const { agent } = await signedInAgent(ctx);
    const res = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ quantity: 3 });
    expect(res.status).toBe(201);
    expect(res.body.seats.map((s: { section: string; row: string; number: string }) => `${s.section}/${s.row}/${s.number}`)).toEqual([
      'Best/A/4',
      'Best/A/5',
      'Best/A/6',
    ]);
  });

  it('when a section or a price cap is given, then the pick respects it', async () => {
    const ev = await createTestEvent(ctx.db, {
      sections: [
        { name: 'Gold', priceTier: 1, priceCents: 9000, rows: 1, seatsPerRow: 6 },
        { name: 'Silver', priceTier: 2, priceCents: 5000, rows: 1, seatsPerRow: 6 },
        { name: 'Bronze', priceTier: 3, priceCents: 2000, rows: 1, seatsPerRow: 6 },
      ],
    });
    const a = await signedInAgent(ctx);
    const bySection = await a.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ quantity: 2, sectionId: ev.sectionIds[2] });
    expect(bySection.status).toBe(201);
    expect(bySection.body.seats.every((s: { section: string }) => s.section === 'Bronze')).toBe(true);
    const b = await signedInAgent(ctx);
    const byPrice = await b.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ quantity: 2, maxPriceCents: 6000 });
    expect(byPrice.status).toBe(201);
    expect(byPrice.body.seats.every((s: { section: string }) => s.section === 'Silver')).toBe(true);
    const c = await signedInAgent(ctx);
    expectProblem(await c.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ quantity: 2, maxPriceCents: 100 }), 409, 'seats_unavailable');
  });

  it('when a choice would strand a single seat, then a block that leaves no single gap is chosen', async () => {
    // Row of 8: seats 1 and 6 taken → free runs [2..5] (4 seats) and [7..8] (2 seats).
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 8 }] });
    const taker = await signedInAgent(ctx);
    const taker2 = await signedInAgent(ctx);
    expect((await taker.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] })).status).toBe(201);
    expect((await taker2.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[5]] })).status).toBe(201);
    const { agent } = await signedInAgent(ctx);
    // 3 seats in [2..5] would always leave one single seat; [7..8] is too short → fallback must not be needed:
    // asking for 2: [3,4] leaves 2 and 5 single; [2,3] leaves 4,5 (fine); [4,5] leaves 2,3 (fine); [7,8] fine.
    const res = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ quantity: 2 });
    expect(res.status).toBe(201);
    const numbers = res.body.seats.map((s: { number: string }) => s.number);
    expect([['2', '3'], ['4', '5'], ['7', '8']]).toContainEqual(numbers);
  });

  it('when no row has a block, then non-adjacent seats of the best section are held; when nothing fits, 409', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 2, seatsPerRow: 3 }] });
    // Take the middle seat of both rows: free are A1 A3 B1 B3 → no 2-block anywhere.
    const t1 = await signedInAgent(ctx);
    expect((await t1.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[1], ev.seatIds[4]] })).status).toBe(201);
    const { agent } = await signedInAgent(ctx);
    const res = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ quantity: 2 });
    expect(res.status).toBe(201);
    expect(res.body.seats).toHaveLength(2);
    const other = await signedInAgent(ctx);
    expectProblem(await other.agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ quantity: 3 }), 409, 'seats_unavailable');
  });
});
