import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvailabilityChanges } from '@ticketing/shared';
import { Cluster } from 'ioredis';
import { keys } from '../src/modules/inventory/inventory.scripts.js';
import { listen, post, registerUsers, type LiveServer } from '../src/modules/inventory/inventory.test-support.js';
import { queueKeys } from '../src/modules/queue/queue.keys.js';
import { TEST_CARDS } from '../src/modules/payments/simulated-provider.js';
import { createTestContext, signedInAgent, type TestApp, type TestContext } from './context.js';
import { createTestEvent } from './factories.js';
import { startRedisCluster, type RedisClusterServers } from './servers/redis-cluster.js';

// The API on a real Redis Cluster (three masters from the redis-server binary, REDIS_CLUSTER_NODES):
// seat locks and their scripts, the availability snapshot and its pub/sub fan-out, sessions, rate
// limits, the waiting room and the simulated provider's ledger, with two app instances.
// docs/adr/0050-redis-cluster-and-read-replica.md

let servers: RedisClusterServers;
let ctx: TestContext;
let other: TestApp;
let liveA: LiveServer;
let liveB: LiveServer;

beforeAll(async () => {
  servers = await startRedisCluster();
  ctx = await createTestContext({ REDIS_CLUSTER_NODES: servers.nodes });
  other = ctx.sibling();
  liveA = listen(ctx, 200);
  liveB = listen(other, 200);
});
afterAll(async () => {
  await liveA?.close();
  await liveB?.close();
  await ctx?.services.inventory.close();
  await other?.services.inventory.close();
  await ctx?.close();
  await servers?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('on a Redis Cluster', () => {
  it('when REDIS_CLUSTER_NODES is set, then the app talks to a three-master cluster whose slots are spread over the masters', async () => {
    expect(ctx.redis).toBeInstanceOf(Cluster);
    expect(other.deps.redis).toBeInstanceOf(Cluster);
    const masters = (ctx.redis as Cluster).nodes('master');
    expect(masters).toHaveLength(3);
    const slots = await masters[0]!.cluster('SLOTS');
    expect(new Set(slots.map((s) => s[2]![1]))).toEqual(new Set(servers.ports));
  });

  it('when many fans on two instances hold overlapping seats at once, then each seat is held once in the database, locks match, and the sale is charged once', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 8 }] });
    const users = await registerUsers(ctx, 120); // sessions written to the cluster by instance A …
    const ring = ev.seatIds.slice(0, 4);
    const pairs = [0, 1, 2, 3].map((i) => [ring[i]!, ring[(i + 1) % 4]!]);
    // … and read by instance B for half of the requests.
    const results = await Promise.all(
      users.map((u, i) =>
        post(i % 2 ? liveB.port : liveA.port, `/api/v1/events/${ev.eventId}/holds`, u.cookie, { seatIds: pairs[i % 4] }, (i % 2 ? liveB : liveA).agent),
      ),
    );

    const won = results.filter((r) => r.status === 201);
    expect(results.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.length).toBeLessThanOrEqual(2); // four seats in a ring: at most two disjoint pairs
    const { rows: seats } = await ctx.db.query(
      `SELECT s.id, s.status, s.hold_id, h.status AS hold_status, h.user_id FROM event_seats s LEFT JOIN holds h ON h.id = s.hold_id WHERE s.event_id = $1`,
      [ev.eventId],
    );
    const held = seats.filter((s) => s.status === 'held');
    expect(held).toHaveLength(won.length * 2);
    for (const s of held) {
      expect(s.hold_status).toBe('active');
      expect(won.map((w) => w.body.id)).toContain(s.hold_id);
      // The seat's phase-1 lock names the same hold and user.
      expect(await ctx.redis.get(keys.seat(ev.eventId, s.id))).toBe(`${s.hold_id}:${s.user_id}`);
    }
    const { rows: active } = await ctx.db.query(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1 AND status = 'active'`, [ev.eventId]);
    expect(active[0].n).toBe(won.length);

    // Both instances' availability (snapshot script + in-process copy) agree with the database.
    const dbStatuses = (
      await ctx.db.query(`SELECT string_agg(left(status, 1), '' ORDER BY seat_index) AS st FROM event_seats WHERE event_id = $1`, [ev.eventId])
    ).rows[0].st;
    for (const app of [ctx, other]) {
      const a = await request(app.app).get(`/api/v1/events/${ev.eventId}/availability`).expect(200);
      expect(a.body.statuses).toBe(dbStatuses);
    }

    // Checkout of one winner on the other instance: the provider's ledger script runs on the cluster.
    const winner = won[0]!;
    const buyer = users.find((u) => u.id === seats.find((s) => s.hold_id === winner.body.id)!.user_id)!;
    const chargesBefore = await ctx.services.paymentProvider.chargeCount();
    const pay = { cardNumber: TEST_CARDS.success, expMonth: 12, expYear: 2099, cvc: '123', name: 'Cluster Test' };
    const key = randomUUID();
    const [first, retry] = await Promise.all(
      [liveA, liveB].map((l) =>
        request(`http://127.0.0.1:${l.port}`)
          .post('/api/v1/checkout')
          .set('Cookie', buyer.cookie)
          .set('Idempotency-Key', key)
          .send({ holdId: winner.body.id, payment: pay }),
      ),
    );
    // Same key on both instances at once: one charges, the other replays it or finds it in progress.
    const statuses = [first!.status, retry!.status];
    expect(statuses).toContain(201);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    expect(await ctx.services.paymentProvider.chargeCount()).toBe(chargesBefore + 1);
    const { rows: sold } = await ctx.db.query(`SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1 AND status = 'sold'`, [ev.eventId]);
    expect(sold[0].n).toBe(2);
  });

  it('when a seat is held through one instance, then an availability stream on the other instance receives the change', async () => {
    const ev = await createTestEvent(ctx.db);
    const { agent } = await signedInAgent(ctx);
    const base = (await request(other.app).get(`/api/v1/events/${ev.eventId}/availability`).expect(200)).body;
    const ctrl = new AbortController();
    try {
      const resp = await fetch(`http://127.0.0.1:${liveB.port}/api/v1/events/${ev.eventId}/availability/stream`, { signal: ctrl.signal });
      expect(resp.status).toBe(200);
      const reader = resp.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes(': connected')) text += decoder.decode((await reader.read()).value);
      // The subscriber connection of instance B (a duplicate of its Cluster client) is subscribed.
      const deadlineSub = Date.now() + 5_000;
      // NUMSUB counts the asked node's own subscribers; PUBLISH reaches every node over the cluster bus.
      const channel = `${ctx.env.REDIS_KEY_PREFIX}inv:changes`;
      while (Date.now() < deadlineSub) {
        const all = await Promise.all((ctx.redis as Cluster).nodes('master').map((n) => n.call('PUBSUB', 'NUMSUB', channel) as Promise<[string, number]>));
        if (all.some((c) => Number(c[1]) > 0)) break;
        await sleep(20);
      }

      const hold = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[2], ev.seatIds[3]] });
      expect(hold.status).toBe(201);
      const deadline = Date.now() + 5_000;
      while (!text.includes('event: availability') && Date.now() < deadline) text += decoder.decode((await reader.read()).value);
      const data = /event: availability\ndata: (.*)\n\n/.exec(text)?.[1];
      expect(data).toBeDefined();
      const msg = AvailabilityChanges.parse(JSON.parse(data!));
      expect(msg.version).toBe(base.version + 1);
      expect(msg.changes).toEqual([
        [2, 'h'],
        [3, 'h'],
      ]);
      // B's own availability read follows too (its copy is patched by the same message).
      const after = await request(other.app).get(`/api/v1/events/${ev.eventId}/availability`).expect(200);
      expect(after.body.version).toBe(base.version + 1);
      expect(after.body.statuses.slice(2, 4)).toBe('hh');
    } finally {
      ctrl.abort();
    }
  });

  it('when 300 visitors join through two instances in a known order, then two concurrent admission workers admit them in exactly that order, each once, never above the cap', async () => {
    const cap = 20;
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 30_000, maxConcurrentShoppers: cap });
    const a = ctx.services.queue;
    const b = other.services.queue;
    const joinOrder: string[] = [];
    // Anonymous visitors through HTTP, alternating the instances (session + queue + session-events keys) …
    for (let i = 0; i < 10; i++) {
      const res = await request(i % 2 ? other.app : ctx.app).post(`/api/v1/events/${eventId}/queue`);
      expect(res.body).toMatchObject({ status: 'queued', position: i + 1 });
      const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tk.sid='))!;
      joinOrder.push(`s:${decodeURIComponent(raw.slice('tk.sid='.length).split(';')[0]!).slice(2).split('.')[0]!}`);
    }
    // … and the bulk through the services of both instances.
    for (let i = 10; i < 300; i++) {
      const s = await (i % 2 ? b : a).join(eventId, { sessionId: `bulk-${i}` });
      expect(s.position).toBe(i + 1);
      joinOrder.push(`s:bulk-${i}`);
    }

    const batches: { before: number; members: string[] }[] = [];
    const admitted = new Set<string>();
    const byInstance: [number, number] = [0, 0];
    for (let round = 0; admitted.size < 300 && round < 5_000; round++) {
      const [ra, rb] = await Promise.all([a.admitEvent(eventId), b.admitEvent(eventId)]);
      byInstance[0] += ra.admitted;
      byInstance[1] += rb.admitted;
      for (const r of [ra, rb]) {
        expect(r.activeShoppers).toBeLessThanOrEqual(cap);
        if (r.members.length) batches.push({ before: r.admissionsBefore, members: r.members });
        for (const m of r.members) {
          expect(admitted.has(m)).toBe(false);
          admitted.add(m);
        }
      }
      const active = await ctx.redis.zrange(queueKeys(eventId).admitted, 0, -1);
      expect(active.length).toBeLessThanOrEqual(cap);
      for (const m of active) if (Math.random() < 0.6) await a.finishShopping(eventId, { sessionId: m.slice(2), userId: '' });
    }

    expect(admitted.size).toBe(300);
    expect(byInstance[0]! + byInstance[1]!).toBe(300);
    batches.sort((x, y) => x.before - y.before);
    let expectedBefore = 0;
    for (const batch of batches) {
      expect(batch.before).toBe(expectedBefore);
      expectedBefore += batch.members.length;
    }
    expect(batches.flatMap((x) => x.members)).toEqual(joinOrder);
    expect(await ctx.redis.zcard(queueKeys(eventId).queue)).toBe(0);
  });

  it('when one address passes the per-IP limit across two instances, then the shared counter on the cluster answers 429', async () => {
    const limited = [ctx.sibling({ RATE_LIMIT_API_PER_IP: '4' }), ctx.sibling({ RATE_LIMIT_API_PER_IP: '4' })];
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await request(limited[i % 2]!.app)
            .get('/api/v1/events')
            .set('X-Forwarded-For', ip)
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    // Another address is not affected.
    expect((await request(limited[0]!.app).get('/api/v1/events').set('X-Forwarded-For', '198.51.100.9')).status).toBe(200);
  });
});
