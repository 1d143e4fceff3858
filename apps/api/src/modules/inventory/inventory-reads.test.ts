import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Availability, AvailabilityChanges, SeatMap } from '@ticketing/shared';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { keys } from './inventory.scripts.js';
import { AVAILABILITY_CACHE_CONTROL } from './inventory.routes.js';

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

