import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { createRedis, redisReady } from '../../platform/redis.js';
import { queueKeys } from './queue.keys.js';
import { STATUS_BATCH_MAX } from './queue.scripts.js';
import { QueueStore, type RawStatus, type Who } from './queue.store.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const GRACE_MS = 60_000;
const withoutClock = ({ nowMs: _now, ...rest }: RawStatus) => rest;

async function histogramSum(name: string): Promise<number> {
  const metric = await ctx.deps.metrics.registry.getSingleMetric(name)!.get();
  const values = metric.values as { metricName?: string; value: number }[];
  return values.filter((v) => v.metricName === `${name}_sum`).reduce((s, v) => s + v.value, 0);
}

describe('waiting room: polls of one event-loop turn share one status script run', () => {
  it('when 300 fans of one event and 5 of another poll at once, then each event gets one run per 128 polls and every fan gets the answer a lone poll gets', async () => {
    const a = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60, maxConcurrentShoppers: 1 });
    const b = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60, maxConcurrentShoppers: 1 });
    const q = ctx.services.queue;
    for (let i = 0; i < 297; i++) await q.join(a.eventId, { sessionId: `fan-${i}` });
    await q.join(a.eventId, { sessionId: 'phone', userId: 'account-1' });
    await q.admitEvent(a.eventId); // fan-0 is admitted, the rest wait
    await q.join(a.eventId, { sessionId: 'left' });
    await q.leave(a.eventId, { sessionId: 'left' });
    for (let i = 0; i < 5; i++) await q.join(b.eventId, { sessionId: `b-fan-${i}` });
    const whoA: Who[] = [
      ...Array.from({ length: 297 }, (_, i) => ({ sessionId: `fan-${i}`, userId: '' })),
      { sessionId: 'laptop', userId: 'account-1' }, // the account's place, asked from another session
      { sessionId: 'left', userId: '' },
      { sessionId: 'never-joined', userId: '' },
    ];
    const whoB: Who[] = Array.from({ length: 5 }, (_, i) => ({ sessionId: `b-fan-${i}`, userId: '' }));
    const runs: number[] = [];
    const store = new QueueStore(ctx.redis, (callers) => runs.push(callers));

    const alone: RawStatus[] = [];
    for (const who of whoA) alone.push(await store.status(a.eventId, who, GRACE_MS));
    const lonelyRuns = runs.splice(0);
    const [togetherA, togetherB] = await Promise.all([
      Promise.all(whoA.map((who) => store.status(a.eventId, who, GRACE_MS))),
      Promise.all(whoB.map((who) => store.status(b.eventId, who, GRACE_MS))),
    ]);

    expect(lonelyRuns).toEqual(whoA.map(() => 1));
    expect(runs).toEqual([STATUS_BATCH_MAX, STATUS_BATCH_MAX, 300 - 2 * STATUS_BATCH_MAX, 5]);
    expect(togetherA.map(withoutClock)).toEqual(alone.map(withoutClock));
    expect(togetherA[0]).toMatchObject({ state: 'admitted', rank: -1 });
    expect(togetherA.slice(1, 297).map((s) => s.rank)).toEqual(Array.from({ length: 296 }, (_, i) => i));
    expect(togetherA[297]).toMatchObject({ state: 'queued', rank: 296, queueLength: 297 });
    expect(togetherA[298]).toMatchObject({ state: 'not_in_queue', rank: -1 });
    expect(togetherA[299]).toMatchObject({ state: 'not_in_queue', rank: -1 });
    expect(togetherB.map((s) => [s.state, s.rank, s.queueLength])).toEqual(whoB.map((_, i) => ['queued', i, 5]));
    // Every queued caller's last-seen time was refreshed by the shared run.
    const seen = await ctx.redis.zrange(queueKeys(b.eventId).seen, 0, -1, 'WITHSCORES');
    for (let i = 1; i < seen.length; i += 2) expect(Number(seen[i])).toBe(togetherB[0]!.nowMs);
  });

  it('when the service answers polls at once, then the batch-size metric counts every poll', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const q = ctx.services.queue;
    for (let i = 0; i < 20; i++) await q.join(eventId, { sessionId: `m-${i}` });
    const before = await histogramSum('queue_status_batch_size');

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => q.status(eventId, { sessionId: `m-${i}` })));

    expect(answers.map((s) => s.status === 'queued' && s.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await histogramSum('queue_status_batch_size')) - before).toBe(20);
  });

  it('when Redis fails under a shared run, then every poll of it fails (none hangs) and the next turn works again', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true });
    const closed = createRedis(ctx.env.REDIS_URL, ctx.env.REDIS_KEY_PREFIX);
    await redisReady(closed);
    const dead = new QueueStore(closed);
    closed.disconnect();

    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => dead.status(eventId, { sessionId: `x-${i}`, userId: '' }, GRACE_MS)));

    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 'rejected'));
    const live = new QueueStore(ctx.redis);
    expect(await live.status(eventId, { sessionId: 'x-0', userId: '' }, GRACE_MS)).toMatchObject({ state: 'not_in_queue' });
  });
});
