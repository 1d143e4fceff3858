import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { queueKeys } from './queue.keys.js';
import { startWorkers } from '../../workers.js';
import { createQueueModule } from './queue.module.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

type Res = { status: number; headers: Record<string, string>; body: Record<string, unknown> };
function expectProblem(res: Res, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.code).toBe(code);
}

/** The session id behind a supertest agent's cookie jar (the cookie is `s:<id>.<signature>`). */
function sessionIdOf(res: { headers: Record<string, unknown> }): string {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  const raw = cookies.find((c) => c.startsWith('tk.sid='));
  if (!raw) throw new Error('no session cookie');
  return decodeURIComponent(raw.slice('tk.sid='.length).split(';')[0]!).slice(2).split('.')[0]!;
}

async function queueMembers(eventId: string): Promise<string[]> {
  return ctx.redis.zrange(queueKeys(eventId).queue, 0, -1);
}
async function admittedMembers(eventId: string): Promise<string[]> {
  return ctx.redis.zrange(queueKeys(eventId).admitted, 0, -1);
}
async function eventKeysCount(eventId: string): Promise<number> {
  const k = queueKeys(eventId);
  return (await ctx.redis.exists(k.queue, k.seen, k.admitted, k.joined)) + (await ctx.redis.sismember('q:active', eventId));
}

describe('waiting room: join, status, leave', () => {
  it('when a fan joins a high-demand event after on-sale, then they are queued, a poll answers the same place and a rejoin keeps it', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const first = ctx.agent();
    const second = ctx.agent();

    const a = await first.post(`/api/v1/events/${eventId}/queue`);
    const b = await second.post(`/api/v1/events/${eventId}/queue`);
    const poll = await second.get(`/api/v1/events/${eventId}/queue`);
    const again = await second.post(`/api/v1/events/${eventId}/queue`);

    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ status: 'queued', position: 1, aheadOfYou: 0 });
    expect(b.body).toMatchObject({ status: 'queued', position: 2, aheadOfYou: 1, estimatedWaitSeconds: 2 });
    expect(b.body.pollAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(poll.body).toMatchObject({ status: 'queued', position: 2, aheadOfYou: 1 });
    expect(again.body).toMatchObject({ status: 'queued', position: 2 });
    expect(poll.headers['cache-control']).toBe('no-store');
    expect(await queueMembers(eventId)).toEqual([`s:${sessionIdOf(a)}`, `s:${sessionIdOf(b)}`]);
    expect(await ctx.redis.sismember('q:active', eventId)).toBe(1);
  });

  it('when a signed-in fan joins from two sessions, then the account holds one place', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true });
    const { agent, user, email } = await signedInAgent(ctx);
    const other = ctx.agent();
    await other.post('/api/v1/auth/login').send({ email, password: 'correct-horse-42' }).expect(200);

    const a = await agent.post(`/api/v1/events/${eventId}/queue`);
    const b = await other.post(`/api/v1/events/${eventId}/queue`);

    expect(a.body).toMatchObject({ status: 'queued', position: 1 });
    expect(b.body).toMatchObject({ status: 'queued', position: 1 });
    expect(await queueMembers(eventId)).toEqual([`u:${user.id}`]);
  });

  it('when a queued fan leaves, then the place is gone; leaving again answers 404 not_queued', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true });
    const agent = ctx.agent();
    await agent.post(`/api/v1/events/${eventId}/queue`).expect(200);

    const left = await agent.delete(`/api/v1/events/${eventId}/queue`);
    const status = await agent.get(`/api/v1/events/${eventId}/queue`);
    const again = await agent.delete(`/api/v1/events/${eventId}/queue`);

    expect(left.status).toBe(204);
    expect(status.body).toEqual({ status: 'not_in_queue' });
    expectProblem(again, 404, 'not_queued');
    expect(await queueMembers(eventId)).toEqual([]);
  });

  it('when the event is unknown, not high-demand, cancelled, over, or the id is not a UUID, then a clear 4xx and nothing is stored', async () => {
    const normal = await createTestEvent(ctx.db, { highDemand: false });
    const cancelled = await createTestEvent(ctx.db, { highDemand: true, cancelled: true });
    const over = await createTestEvent(ctx.db, { highDemand: true, onSaleAt: new Date(Date.now() - 7200_000), startsAt: new Date(Date.now() - 3600_000) });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const agent = ctx.agent();

    expectProblem(await agent.post(`/api/v1/events/${unknown}/queue`), 404, 'not_found');
    expectProblem(await agent.get(`/api/v1/events/${unknown}/queue`), 404, 'not_found');
    expectProblem(await agent.post(`/api/v1/events/${normal.eventId}/queue`), 409, 'queue_not_enabled');
    expectProblem(await agent.get(`/api/v1/events/${normal.eventId}/queue`), 409, 'queue_not_enabled');
    expectProblem(await agent.post(`/api/v1/events/${cancelled.eventId}/queue`), 409, 'event_cancelled');
    expectProblem(await agent.post(`/api/v1/events/${over.eventId}/queue`), 409, 'event_not_on_sale');
    expectProblem(await agent.post('/api/v1/events/not-a-uuid/queue'), 400, 'validation_failed');
    expectProblem(await agent.delete(`/api/v1/events/${normal.eventId}/queue`), 409, 'queue_not_enabled');

    for (const id of [unknown, normal.eventId, cancelled.eventId, over.eventId]) expect(await eventKeysCount(id)).toBe(0);
    expect(agent.jar.getCookie('tk.sid', { path: '/', domain: '127.0.0.1', secure: false, script: false })).toBeUndefined();
  });
});

describe('waiting room: signing in after joining', () => {
  it('when an anonymous fan with a place signs in, then the account keeps the place and later the admission', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 600, maxConcurrentShoppers: 1 });
    const fan = ctx.agent();
    const joined = await fan.post(`/api/v1/events/${eventId}/queue`).expect(200);
    const oldSid = sessionIdOf(joined);
    await ctx.services.queue.join(eventId, { sessionId: 'later' });

    // Sign-in regenerates the session id; auth moves the anonymous place to the account.
    const reg = await fan.post('/api/v1/auth/register').send({ email: `adopt.${Date.now()}@example.test`, password: 'correct-horse-42', name: 'Ada' }).expect(201);
    const kept = await fan.get(`/api/v1/events/${eventId}/queue`);
    await ctx.services.queue.admitEvent(eventId);

    expect(sessionIdOf(reg)).not.toBe(oldSid);
    expect(kept.body).toMatchObject({ status: 'queued', position: 1 });
    expect(await queueMembers(eventId)).toEqual(['s:later']);
    expect(await admittedMembers(eventId)).toEqual([`u:${reg.body.id}`]);
    await expect(ctx.services.queue.assertAdmitted({ id: eventId, highDemand: true }, { userId: reg.body.id, sessionId: 'new' })).resolves.toBeUndefined();
    expect(await ctx.redis.exists(`q:sess:${oldSid}`)).toBe(0);
  });

  it('when an admitted anonymous session is adopted, then the admission belongs to the account', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 600 });
    const { user } = await signedInAgent(ctx);
    await ctx.services.queue.join(eventId, { sessionId: 'anon-1' });
    await ctx.services.queue.admitEvent(eventId);

    await ctx.services.queue.adoptSession('anon-1', user.id);

    expect(await admittedMembers(eventId)).toEqual([`u:${user.id}`]);
    expect(await ctx.services.queue.admittedUntil(eventId, { userId: user.id, sessionId: 'other' })).toBeGreaterThan(Date.now());
  });
});

describe('waiting room: admission and enforcement', () => {
  it('when the worker runs, then the head is admitted, the status says so, and finishing frees the slot', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60, maxConcurrentShoppers: 1 });
    const { agent, user } = await signedInAgent(ctx);
    const other = ctx.agent();
    await agent.post(`/api/v1/events/${eventId}/queue`).expect(200);
    await other.post(`/api/v1/events/${eventId}/queue`).expect(200);

    const tick = await ctx.services.queue.admitEvent(eventId);
    const mine = await agent.get(`/api/v1/events/${eventId}/queue`);
    const theirs = await other.get(`/api/v1/events/${eventId}/queue`);
    const full = await ctx.services.queue.admitEvent(eventId);

    expect(tick.members).toEqual([`u:${user.id}`]);
    expect(mine.body.status).toBe('admitted');
    const until = Date.parse(mine.body.admittedUntil as string);
    expect(until).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);
    expect(theirs.body).toMatchObject({ status: 'queued', position: 1, aheadOfYou: 0 });
    expect(full.admitted).toBe(0); // the one slot is taken

    await ctx.services.queue.finishShopping(eventId, { userId: user.id, sessionId: 'another-session' });
    const next = await ctx.services.queue.admitEvent(eventId);
    expect(await admittedMembers(eventId)).toHaveLength(1);
    expect(next.admitted).toBe(1);
    expect((await other.get(`/api/v1/events/${eventId}/queue`)).body.status).toBe('admitted');
  });

  it('when a shopper lacks an admission on a high-demand event, then assertAdmitted refuses with 403 not_admitted; with one (by account from any session) it passes; after finishing it refuses again', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 600 });
    const normal = await createTestEvent(ctx.db, { highDemand: false });
    const { agent, user } = await signedInAgent(ctx);
    const q = ctx.services.queue;
    const event = { id: eventId, highDemand: true };

    await expect(q.assertAdmitted(event, { userId: user.id, sessionId: 'x' })).rejects.toMatchObject({ status: 403, code: 'not_admitted' });
    await expect(q.assertAdmitted({ id: normal.eventId, highDemand: false }, { userId: user.id, sessionId: 'x' })).resolves.toBeUndefined();
    await agent.post(`/api/v1/events/${eventId}/queue`).expect(200);
    await expect(q.assertAdmitted(event, { userId: user.id, sessionId: 'x' })).rejects.toMatchObject({ code: 'not_admitted' });
    await q.admitEvent(eventId);

    await expect(q.assertAdmitted(event, { userId: user.id, sessionId: 'some-other-session' })).resolves.toBeUndefined();
    await q.finishShopping(eventId, { userId: user.id, sessionId: 'x' });
    await expect(q.assertAdmitted(event, { userId: user.id, sessionId: 'x' })).rejects.toMatchObject({ code: 'not_admitted' });
    expect(await admittedMembers(eventId)).toEqual([]);
  });

  it('when an admitted fan leaves, then the slot is free at once and the next fan gets it', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 600, maxConcurrentShoppers: 1 });
    const first = ctx.agent();
    const second = ctx.agent();
    await first.post(`/api/v1/events/${eventId}/queue`).expect(200);
    const s2 = await second.post(`/api/v1/events/${eventId}/queue`).expect(200);
    await ctx.services.queue.admitEvent(eventId);

    await first.delete(`/api/v1/events/${eventId}/queue`).expect(204);
    await ctx.services.queue.admitEvent(eventId);

    expect(await admittedMembers(eventId)).toEqual([`s:${sessionIdOf(s2)}`]);
    expect((await first.get(`/api/v1/events/${eventId}/queue`)).body.status).toBe('not_in_queue');
  });

  it('when the app workers run (createApp workers), then a queued fan is admitted within a few ticks without anyone calling the service', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 600 });
    const agent = ctx.agent();
    await agent.post(`/api/v1/events/${eventId}/queue`).expect(200);
    const names = ctx.workers.map((w) => w.name);
    const stop = startWorkers(ctx.deps, ctx.workers.filter((w) => w.name === 'queue-admission'));
    try {
      let status = '';
      for (let i = 0; i < 40 && status !== 'admitted'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await agent.get(`/api/v1/events/${eventId}/queue`)).body.status;
      }

      expect(names).toContain('queue-admission');
      expect(status).toBe('admitted');
      expect(await ctx.redis.zcard(queueKeys(eventId).admitted)).toBe(1);
    } finally {
      await stop();
    }
  });

  it('when the rate is fractional (30 a minute), then the token bucket admits one now, none right after, and one again two seconds later', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 30, maxConcurrentShoppers: 100 });
    const q = ctx.services.queue;
    for (let i = 0; i < 5; i++) await q.join(eventId, { sessionId: `f${i}` });

    const first = await q.admitEvent(eventId);
    const second = await q.admitEvent(eventId);
    // Two seconds pass for the bucket: its last refill moves 2.1 s back on the Redis clock.
    const bucket = queueKeys(eventId).bucket;
    await ctx.redis.hset(bucket, 'ts', Number(await ctx.redis.hget(bucket, 'ts')) - 2100);
    const third = await ctx.sibling().services.queue.admitEvent(eventId);

    expect(first.members).toEqual(['s:f0']);
    expect(second.members).toEqual([]);
    expect(third.members).toEqual(['s:f1']);
    expect(await queueMembers(eventId)).toEqual(['s:f2', 's:f3', 's:f4']);
  });

  it('when a measured admission rate is known, then the wait estimate uses it instead of the configured rate', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const q = ctx.services.queue;
    await q.join(eventId, { sessionId: 'm0' });
    const configured = await q.join(eventId, { sessionId: 'm1' });
    await ctx.redis.hset(queueKeys(eventId).stats, 'measuredRate', '6');

    const measured = await q.status(eventId, { sessionId: 'm1' });

    expect(configured.estimatedWaitSeconds).toBe(2); // position 2 at 60/min
    expect(measured.estimatedWaitSeconds).toBe(20); // position 2 at 6/min
    expect(measured.pollAfterSeconds).toBe(2);
  });

  it('when the shopping window runs out, then the admission ends, the status says expired and the slot is reused', async () => {
    // Another waiting-room instance on the same Redis whose shopping window is half a second.
    const q = createQueueModule(ctx.deps, { events: ctx.services.events }, { windowMs: 500 }).service;
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 6000, maxConcurrentShoppers: 1 });
    await q.join(eventId, { sessionId: 'early' });
    await q.join(eventId, { sessionId: 'late' });
    await q.admitEvent(eventId);
    expect((await q.status(eventId, { sessionId: 'early' })).status).toBe('admitted');

    await vi.waitFor(async () => expect(Number(await ctx.redis.zscore(queueKeys(eventId).admitted, 's:early'))).toBeLessThan(Date.now()), { timeout: 2_000, interval: 10 });
    const tick = await q.admitEvent(eventId);

    expect(tick.members).toEqual(['s:late']);
    expect((await q.status(eventId, { sessionId: 'early' })).status).toBe('expired');
    await expect(q.assertAdmitted({ id: eventId, highDemand: true }, { userId: '', sessionId: 'early' })).rejects.toMatchObject({ code: 'not_admitted' });
  });
});

describe('waiting room: admin stats and live settings', () => {
  it('when a fan asks for stats or changes settings, then 403 and nothing changes', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 120 });
    const { agent } = await signedInAgent(ctx);

    expectProblem(await agent.get(`/api/v1/admin/events/${eventId}/stats`), 403, 'forbidden');
    expectProblem(await agent.put(`/api/v1/admin/events/${eventId}/queue`).send({ admissionRatePerMinute: 5 }), 403, 'forbidden');
    expectProblem(await ctx.agent().get(`/api/v1/admin/events/${eventId}/stats`), 401, 'unauthenticated');
    const { rows } = await ctx.db.query('SELECT admission_rate_per_minute FROM events WHERE id = $1', [eventId]);
    expect(rows[0].admission_rate_per_minute).toBe(120);
  });

  it('when an admin reads stats, then seats, revenue and queue figures are reported', async () => {
    const { eventId, seatIds } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 120, maxConcurrentShoppers: 1, sections: [{ rows: 2, seatsPerRow: 5 }] });
    const { agent } = await signedInAgent(ctx, { role: 'admin' });
    const fan = await signedInAgent(ctx);
    await fan.agent.post(`/api/v1/events/${eventId}/queue`).expect(200);
    for (const s of ['b', 'c']) await ctx.services.queue.join(eventId, { sessionId: s });
    await ctx.services.queue.admitEvent(eventId);
    await fan.agent.post(`/api/v1/events/${eventId}/holds`).send({ seatIds: seatIds.slice(0, 2) }).expect(201);

    const res = await agent.get(`/api/v1/admin/events/${eventId}/stats`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sold: 0, held: 2, available: 8, revenueCents: 0, queueLength: 2, admitted: 1, admissionRatePerMinute: 120, maxConcurrentShoppers: 1 });
    expect(res.body.averageWaitSeconds).toBeGreaterThanOrEqual(0);
  });

  it('when an admin changes the queue settings, then PostgreSQL and the live settings change and the next tick obeys them', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 6000, maxConcurrentShoppers: 1 });
    const { agent } = await signedInAgent(ctx, { role: 'admin' });
    for (let i = 0; i < 5; i++) await ctx.services.queue.join(eventId, { sessionId: `s${i}` });
    expect((await ctx.services.queue.admitEvent(eventId)).admitted).toBe(1);

    const res = await agent.put(`/api/v1/admin/events/${eventId}/queue`).send({ maxConcurrentShoppers: 3 });
    const tick = await ctx.sibling().services.queue.admitEvent(eventId);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ admissionRatePerMinute: 6000, maxConcurrentShoppers: 3 });
    const { rows } = await ctx.db.query('SELECT admission_rate_per_minute, max_concurrent_shoppers FROM events WHERE id = $1', [eventId]);
    expect(rows[0]).toEqual({ admission_rate_per_minute: 6000, max_concurrent_shoppers: 3 });
    expect(await ctx.redis.hgetall(queueKeys(eventId).settings)).toEqual({ rate: '6000', cap: '3' });
    expect(tick.members).toEqual(['s:s1', 's:s2']);
  });

  it('when the settings body is empty or wrong, or the event unknown, then 400/404 and nothing changes', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 120 });
    const { agent } = await signedInAgent(ctx, { role: 'admin' });

    expectProblem(await agent.put(`/api/v1/admin/events/${eventId}/queue`).send({}), 400, 'validation_failed');
    expectProblem(await agent.put(`/api/v1/admin/events/${eventId}/queue`).send({ admissionRatePerMinute: 0 }), 400, 'validation_failed');
    expectProblem(await agent.put('/api/v1/admin/events/00000000-0000-4000-8000-000000000000/queue').send({ admissionRatePerMinute: 5 }), 404, 'not_found');
    expectProblem(await agent.get('/api/v1/admin/events/00000000-0000-4000-8000-000000000000/stats'), 404, 'not_found');

    const { rows } = await ctx.db.query('SELECT admission_rate_per_minute FROM events WHERE id = $1', [eventId]);
    expect(rows[0].admission_rate_per_minute).toBe(120);
    expect(await ctx.redis.exists(queueKeys(eventId).settings)).toBe(0);
  });
});
