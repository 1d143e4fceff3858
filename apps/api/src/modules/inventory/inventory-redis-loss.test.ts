import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { listen, post, registerUsers, type LiveServer } from './inventory.test-support.js';
import { SeatsUnavailableError } from './inventory.service.js';

let ctx: TestContext;
let live: LiveServer;

beforeAll(async () => {
  ctx = await createTestContext();
  live = listen(ctx, 200);
});
afterAll(async () => {
  await live.close();
  await ctx.services.inventory.close();
  await ctx.close();
});

/** Delete this test file's inventory keys (locks and snapshots) only: SCAN + DEL under the prefix. */
async function flushInventoryKeys(): Promise<number> {
  const prefix = ctx.env.REDIS_KEY_PREFIX;
  let cursor = '0';
  let n = 0;
  do {
    // SCAN matches raw key names; the connection's prefix is not applied to the pattern.
    const [next, found] = await ctx.redis.scan(cursor, 'MATCH', `${prefix}inv:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) n += await ctx.redis.del(...found.map((k) => k.slice(prefix.length)));
  } while (cursor !== '0');
  return n;
}

async function heldSeats(eventId: string) {
  const { rows } = await ctx.db.query(
    `SELECT s.id, s.hold_id, h.user_id, h.status AS hold_status, s.holder_user_id
       FROM event_seats s JOIN holds h ON h.id = s.hold_id WHERE s.event_id = $1 AND s.status = 'held'`,
    [eventId],
  );
  return rows as { id: string; hold_id: string; user_id: string; hold_status: string; holder_user_id: string }[];
}

describe('Redis loss', () => {
  it('when Redis is unreachable for one instance, then its holds fall back to PostgreSQL row locks and a seat is still held only once', async () => {
    const down = ctx.sibling({ REDIS_URL: 'redis://127.0.0.1:1' });
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 10 }] });
    const users = await registerUsers(ctx, 40);
    const seat = ev.seatIds[3]!;
    // Half the users go through the healthy instance (HTTP), half through the one without Redis
    // (its session store is Redis too, so it is driven at the service level).
    const results = await Promise.allSettled(
      users.map((u, i) =>
        i % 2 === 0
          ? post(live.port, `/api/v1/events/${ev.eventId}/holds`, u.cookie, { seatIds: [seat] }, live.agent).then((r) => {
              if (r.status !== 201) throw new SeatsUnavailableError([seat]);
              return r.body;
            })
          : down.services.inventory.createHold(ev.eventId, { userId: u.id, sessionId: `s-${i}` }, { seatIds: [seat] }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SeatsUnavailableError);
    const held = await heldSeats(ev.eventId);
    expect(held).toHaveLength(1);
    expect(held[0]!.hold_status).toBe('active');
    expect(down.services.inventory.breaker.state).toBe('open');

    // The degraded instance serves availability from PostgreSQL.
    const avail = await request(down.app).get(`/api/v1/events/${ev.eventId}/availability`);
    expect(avail.status).toBe(200);
    expect(avail.body.statuses).toBe('aaah' + 'a'.repeat(6));
    // And a release through it still frees the seat in the truth.
    const winner = (ok[0] as PromiseFulfilledResult<{ id: string }>).value;
    const { rows } = await ctx.db.query('SELECT user_id FROM holds WHERE id = $1', [winner.id]);
    await down.services.inventory.releaseHold(rows[0].user_id, winner.id);
    expect(await heldSeats(ev.eventId)).toHaveLength(0);
  });

  it('when an instance took a hold without reaching Redis, then the sweep reconcile corrects the snapshot and publishes it', async () => {
    const down = ctx.sibling({ REDIS_URL: 'redis://127.0.0.1:1' });
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 6 }] });
    const [u] = await registerUsers(ctx, 1);
    const before = (await request(ctx.app).get(`/api/v1/events/${ev.eventId}/availability`)).body;
    await down.services.inventory.createHold(ev.eventId, { userId: u!.id, sessionId: 's' }, { seatIds: [ev.seatIds[2]!] });
    // Past the in-process copy's trust window (clock moved, not waited for).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1_100 });
    try {
      expect((await request(ctx.app).get(`/api/v1/events/${ev.eventId}/availability`)).body.statuses).toBe('aaaaaa'); // stale: the update never reached Redis
    } finally {
      vi.useRealTimers();
    }

    await ctx.services.inventory.reconcileSnapshots(true);

    const after = (await request(ctx.app).get(`/api/v1/events/${ev.eventId}/availability`)).body;
    expect(after.statuses).toBe('aahaaa');
    expect(after.counts).toEqual({ available: 5, held: 1, sold: 0 });
    expect(after.version).toBe(before.version + 1);
  });

  it('when the inventory keys are flushed mid-run, then no seat is held twice and the snapshot is rebuilt from PostgreSQL', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 2, seatsPerRow: 10 }] });
    const users = await registerUsers(ctx, 60);
    await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`);
    const wave = (from: number, to: number) =>
      Promise.all(
        users.slice(from, to).map((u, i) => post(live.port, `/api/v1/events/${ev.eventId}/holds`, u.cookie, { seatIds: [ev.seatIds[(i * 3) % 20], ev.seatIds[(i * 7 + 1) % 20]].filter((v, k, a) => a.indexOf(v) === k) }, live.agent)),
      );
    const first = await wave(0, 30);
    const flushing = flushInventoryKeys();
    const second = await wave(30, 60);
    expect(await flushing).toBeGreaterThan(0);
    await flushInventoryKeys(); // and once more after, so every lock and the snapshot are surely gone

    const won = [...first, ...second].filter((r) => r.status === 201);
    for (const r of [...first, ...second]) expect([201, 409]).toContain(r.status);
    const claimed = won.flatMap((r) => (r.body.seats as { id: string }[]).map((s) => s.id));
    expect(new Set(claimed).size).toBe(claimed.length);

    // After the flush, nobody can take a seat that PostgreSQL says is held.
    const late = await registerUsers(ctx, 20);
    const third = await Promise.all(late.map((u, i) => post(live.port, `/api/v1/events/${ev.eventId}/holds`, u.cookie, { seatIds: [ev.seatIds[i % 20]] }, live.agent)));
    const held = await heldSeats(ev.eventId);
    for (const s of held) {
      expect(s.hold_status).toBe('active');
      expect(s.user_id).toBe(s.holder_user_id);
    }
    const allWon = [...won, ...third.filter((r) => r.status === 201)];
    const allClaimed = allWon.flatMap((r) => (r.body.seats as { id: string }[]).map((s) => s.id));
    expect(new Set(allClaimed).size).toBe(allClaimed.length);
    expect(held.length).toBe(allClaimed.length);

    const avail = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    const { rows } = await ctx.db.query(
      `SELECT string_agg(left(status, 1), '' ORDER BY seat_index) AS s FROM event_seats WHERE event_id = $1`,
      [ev.eventId],
    );
    await ctx.services.inventory.snapshot.reconcileDirty();
    const reconciled = (await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`)).body;
    expect(reconciled.statuses).toBe(rows[0].s);
    expect(reconciled.version).toBeGreaterThanOrEqual(avail.version);
  });
});
