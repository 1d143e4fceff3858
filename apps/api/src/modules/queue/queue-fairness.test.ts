import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { queueKeys } from './queue.keys.js';
import type { QueueService } from './queue.service.js';
import { QueueStore } from './queue.store.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Arrange that `member` last polled `msAgo` ms ago on the Redis clock the scripts read: time
 * passing for one entry without waiting for it (the grace period is measured from this score).
 */
async function lastPolled(t: TestContext, eventId: string, member: string, msAgo: number): Promise<void> {
  const [sec, micro] = await t.redis.time();
  const nowMs = Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
  await t.redis.zadd(queueKeys(eventId).seen, 'XX', nowMs - msAgo, member);
}

/** The session id behind a supertest response's cookie (`s:<id>.<signature>`). */
function sessionIdOf(res: { headers: Record<string, unknown> }): string {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  const raw = cookies.find((c) => c.startsWith('tk.sid='))!;
  return decodeURIComponent(raw.slice('tk.sid='.length).split(';')[0]!).slice(2).split('.')[0]!;
}

/**
 * Run two "instances" (two services on one Redis prefix) admitting concurrently until `total`
 * members are admitted. After each round, finish the shopping of a random part of the admitted
 * shoppers so slots free up irregularly. Returns the admission rounds (each script's answer, in
 * queue order, with their place in the admission sequence) and the largest admitted-set size ever seen.
 */
async function drainWithTwoWorkers(eventId: string, a: QueueService, b: QueueService, total: number, cap: number) {
  const batches: { before: number; members: string[] }[] = [];
  const byInstance: [number, number] = [0, 0];
  const admitted = new Set<string>();
  let maxActive = 0;
  for (let round = 0; admitted.size < total && round < 20_000; round++) {
    // Start the two instances in a random order each round so either may reach Redis first.
    const [ra, rb] = Math.random() < 0.5
      ? await Promise.all([a.admitEvent(eventId), b.admitEvent(eventId)])
      : (await Promise.all([b.admitEvent(eventId), a.admitEvent(eventId)])).reverse();
    byInstance[0] += ra!.admitted;
    byInstance[1] += rb!.admitted;
    for (const r of [ra!, rb!]) if (r.members.length) batches.push({ before: r.admissionsBefore, members: r.members });
    for (const r of [ra!, rb!]) {
      // The admitted set only grows inside a script, so its size right after each script is every peak.
      maxActive = Math.max(maxActive, r.activeShoppers);
      for (const m of r.members) {
        expect(admitted.has(m)).toBe(false); // each admitted exactly once
        admitted.add(m);
      }
    }
    const active = await ctx.redis.zrange(queueKeys(eventId).admitted, 0, -1);
    maxActive = Math.max(maxActive, active.length);
    expect(active.length).toBeLessThanOrEqual(cap);
    for (const m of active) if (Math.random() < 0.6) await a.finishShopping(eventId, { sessionId: m.slice(2), userId: '' });
    await sleep(2);
  }
  return { batches, admitted, maxActive, byInstance };
}

describe('waiting room fairness', () => {
  it('when 1,000 sessions join after on-sale in a known order, then two concurrent workers admit them in exactly that order, each once, never above the cap', async () => {
    const cap = 25;
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 30_000, maxConcurrentShoppers: cap });
    const a = ctx.services.queue;
    const sibling = ctx.sibling();
    const b = sibling.services.queue;
    const joinOrder: string[] = [];
    // A sample through HTTP, alternating the two instances …
    for (let i = 0; i < 20; i++) {
      const app = i % 2 ? sibling : ctx;
      const res = await app.agent().post(`/api/v1/events/${eventId}/queue`);
      expect(res.body).toMatchObject({ status: 'queued', position: i + 1 });
      joinOrder.push(`s:${sessionIdOf(res)}`);
    }
    // … and the bulk through the services of both instances.
    for (let i = 20; i < 1000; i++) {
      const s = await (i % 2 ? b : a).join(eventId, { sessionId: `bulk-${i}` });
      expect(s.position).toBe(i + 1);
      joinOrder.push(`s:bulk-${i}`);
    }

    const { batches, admitted, maxActive, byInstance } = await drainWithTwoWorkers(eventId, a, b, 1000, cap);

    const rankOf = new Map(joinOrder.map((m, i) => [m, i]));
    const rank = (m: string) => rankOf.get(m)!;
    expect(admitted.size).toBe(1000);
    expect(maxActive).toBeLessThanOrEqual(cap);
    expect(byInstance[0]).toBeGreaterThan(0); // both instances admitted
    expect(byInstance[1]).toBeGreaterThan(0);
    // Each batch carries its place in the Redis-side admission sequence (the count of admissions
    // before it, read inside the atomic script), so this is the true global admission order.
    batches.sort((x, y) => x.before - y.before);
    let expectedBefore = 0;
    for (const b of batches) {
      expect(b.before).toBe(expectedBefore);
      expectedBefore += b.members.length;
    }
    const sequence = batches.flatMap((b) => b.members).map(rank);
    let inversions = 0;
    for (let i = 1; i < sequence.length; i++) if (sequence[i]! < sequence[i - 1]!) inversions++;
    expect(inversions).toBe(0);
    expect(sequence).toEqual(joinOrder.map((_, i) => i));
    expect(await ctx.redis.zcard(queueKeys(eventId).queue)).toBe(0);
  });

  it('when sessions join before on-sale, then they are shuffled among themselves (a rejoin keeps its draw) and all come before later arrivals, who keep their order', async () => {
    const { eventId } = await createTestEvent(ctx.db, {
      highDemand: true,
      admissionRatePerMinute: 100_000,
      maxConcurrentShoppers: 10_000,
      onSaleAt: new Date(Date.now() + 3600_000),
    });
    const q = ctx.services.queue;
    const early = Array.from({ length: 60 }, (_, i) => `s:early-${i}`);
    const late = Array.from({ length: 15 }, (_, i) => `s:late-${i}`);
    for (const m of early) await q.join(eventId, { sessionId: m.slice(2) });
    const before = await q.join(eventId, { sessionId: 'early-7' });
    const rejoin = await q.join(eventId, { sessionId: 'early-7' });
    expect(rejoin.position).toBe(before.position);
    expect(before.estimatedWaitSeconds).toBeGreaterThan(3500); // includes the time until on-sale

    await ctx.db.query(`UPDATE events SET on_sale_at = now() - interval '1 second' WHERE id = $1`, [eventId]);
    await ctx.services.events.invalidate(eventId);
    for (const m of late) await q.join(eventId, { sessionId: m.slice(2) });

    const admittedOrder: string[] = [];
    for (let i = 0; i < 50 && admittedOrder.length < 75; i++) {
      admittedOrder.push(...(await q.admitEvent(eventId)).members);
      await sleep(5);
    }

    expect(admittedOrder).toHaveLength(75);
    expect(new Set(admittedOrder.slice(0, 60))).toEqual(new Set(early));
    expect(admittedOrder.slice(0, 60)).not.toEqual(early); // shuffled (1 in 60! to be equal by chance)
    expect(admittedOrder.slice(60)).toEqual(late);
    const scores = await ctx.redis.zrange(queueKeys(eventId).queue, 0, -1);
    expect(scores).toEqual([]);
  });
});

describe('waiting room liveness', () => {
  let live: TestContext;
  beforeAll(async () => {
    live = await createTestContext({ QUEUE_GRACE_SECONDS: '3' });
  });
  afterAll(() => live.close());

  it('when a session stops polling for longer than the grace period, then it is passed over; one that comes back in time keeps its place', async () => {
    const { eventId } = await createTestEvent(live.db, { highDemand: true, admissionRatePerMinute: 60, maxConcurrentShoppers: 1 });
    const q = live.services.queue;
    await q.join(eventId, { sessionId: 'gone' });
    await q.join(eventId, { sessionId: 'steady' });
    await q.join(eventId, { sessionId: 'returns' });

    // Grace 3 s: `steady` has just polled; `returns` was silent for 1.5 s at a time (polling in
    // between); `gone` has not polled for 4 s.
    await lastPolled(live, eventId, 's:returns', 1_500);
    expect(await q.status(eventId, { sessionId: 'returns' })).toMatchObject({ status: 'queued', position: 3 });
    await lastPolled(live, eventId, 's:returns', 1_500);
    await lastPolled(live, eventId, 's:gone', 4_000);
    await q.status(eventId, { sessionId: 'steady' });
    const tick = await q.admitEvent(eventId);

    expect(tick.passedOver).toBe(1);
    expect(tick.members).toEqual(['s:steady']);
    expect(await q.status(eventId, { sessionId: 'gone' })).toEqual({ status: 'expired' });
    expect(await q.status(eventId, { sessionId: 'returns' })).toMatchObject({ status: 'queued', position: 1, aheadOfYou: 0 });
    expect(await live.redis.zrange(queueKeys(eventId).queue, 0, -1)).toEqual(['s:returns']);
    const metrics = await live.deps.metrics.registry.getSingleMetricAsString('queue_passed_over_total');
    expect(metrics).toMatch(new RegExp(`queue_passed_over_total\\{event_id="${eventId}",instance="[^"]+"\\} 1$`, 'm'));
  });

  it('when a stale entry reaches the head before the sweep removes it, then the admission skips it in the same script', async () => {
    const { eventId } = await createTestEvent(live.db, { highDemand: true, admissionRatePerMinute: 600, maxConcurrentShoppers: 10 });
    const q = live.services.queue;
    await q.join(eventId, { sessionId: 'stale-head' });
    await q.join(eventId, { sessionId: 'fresh' });
    await lastPolled(live, eventId, 's:stale-head', 3_850); // silent longer than the 3 s grace
    await q.status(eventId, { sessionId: 'fresh' });
    const store = new QueueStore(live.redis);

    const r = await store.admit(eventId, { admissionRatePerMinute: 600, maxConcurrentShoppers: 10 }, 3000, 900_000, 10, 0); // sweep disabled: only the head check can catch it

    expect(r!.admitted.map((a) => a.member)).toEqual(['s:fresh']);
    expect(r!.passedOver).toBe(1);
    expect(await q.status(eventId, { sessionId: 'stale-head' })).toEqual({ status: 'expired' });
  });

  it('when a passed-over session joins again, then it gets a new place at the back', async () => {
    const { eventId } = await createTestEvent(live.db, { highDemand: true, admissionRatePerMinute: 60, maxConcurrentShoppers: 1 });
    const q = live.services.queue;
    await q.join(eventId, { sessionId: 'sleepy' });
    await q.join(eventId, { sessionId: 'awake' });
    await lastPolled(live, eventId, 's:sleepy', 3_850); // silent longer than the 3 s grace
    await q.status(eventId, { sessionId: 'awake' });

    const again = await q.join(eventId, { sessionId: 'sleepy' });

    expect(again).toMatchObject({ status: 'queued', position: 2, aheadOfYou: 1 });
    expect(await live.redis.zrange(queueKeys(eventId).queue, 0, -1)).toEqual(['s:awake', 's:sleepy']);
  });
});
