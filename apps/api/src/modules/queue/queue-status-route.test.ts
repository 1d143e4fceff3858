import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { queueKeys } from './queue.keys.js';
import { QueueCookie } from './queue-cookie.js';

/** The lean status route mounted before the session (queueStatusRoutes in queue.routes.ts) and its signed `tk.q` cookie (queue-cookie.ts). */
let ctx: TestContext;
/** How far the event-facts clock runs ahead of the wall clock (a test moves it instead of waiting). */
let clockAheadMs = 0;
beforeAll(async () => {
  ctx = await createTestContext({}, { events: { facts: { now: () => Date.now() + clockAheadMs } } });
});
afterAll(() => ctx.close());

type Res = { status: number; headers: Record<string, unknown>; body: Record<string, unknown> };
/** The label the normal route gets from routeLabel() (queue routes are mounted at /events/:eventId/queue). */
const ROUTE = '/api/v1/events/:param/queue';

function setCookies(res: Res): string[] {
  return ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
}
/** The raw value of a cookie set by a response. */
function cookieSet(res: Res, name: string): string | undefined {
  const c = setCookies(res).find((x) => x.startsWith(`${name}=`));
  return c?.slice(name.length + 1).split(';')[0];
}
/** The session id inside a raw `tk.sid` value (`s:<id>.<signature>`, URL-encoded). */
function sidOf(raw: string): string {
  return decodeURIComponent(raw).slice(2).split('.')[0]!;
}
/** Join with a fresh browser and return its cookies (tk.sid, tk.q). */
async function joinedBrowser(eventId: string) {
  const agent = ctx.agent();
  const join = await agent.post(`/api/v1/events/${eventId}/queue`).expect(200);
  return { agent, join, sid: cookieSet(join, 'tk.sid')!, q: cookieSet(join, 'tk.q')! };
}
/** A poll with exactly these cookies (no jar). */
function pollWith(eventId: string, cookie: string) {
  return request(ctx.server).get(`/api/v1/events/${eventId}/queue`).set('Cookie', cookie);
}
async function polledCount(status: string): Promise<number> {
  const text = (await ctx.agent().get('/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{') && l.includes(`route="${ROUTE}"`) && l.includes('method="GET"') && l.includes(`status="${status}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('waiting-room status poll without a session read', () => {
  it('when a queued fan polls with the cookie from joining, then the lean route answers the same body as the normal route, with no-store, security headers and a request id, and refreshes liveness', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    await joinedBrowser(eventId);
    const fan = await joinedBrowser(eventId);
    const seenBefore = Number(await ctx.redis.zscore(queueKeys(eventId).seen, `s:${sidOf(fan.sid)}`));
    await new Promise((r) => setTimeout(r, 5));

    const lean = await fan.agent.get(`/api/v1/events/${eventId}/queue`).set('X-Request-Id', 'poll-1');
    const normal = await pollWith(eventId, `tk.sid=${fan.sid}`);

    expect(fan.q).toBeTruthy();
    expect(lean.status).toBe(200);
    expect(setCookies(lean)).toEqual([]); // the normal route re-issues tk.q on every answer; the lean route sets nothing
    expect(lean.headers['x-request-id']).toBe('poll-1');
    expect(lean.headers['cache-control']).toBe('no-store');
    expect(lean.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) expect(lean.headers[h], h).toBe(normal.headers[h]);
    expect(lean.body).toMatchObject({ status: 'queued', position: 2, aheadOfYou: 1 });
    expect(normal.status).toBe(200);
    expect(cookieSet(normal, 'tk.q')).toBeTruthy();
    expect(lean.body).toEqual(normal.body);
    expect(Number(await ctx.redis.zscore(queueKeys(eventId).seen, `s:${sidOf(fan.sid)}`))).toBeGreaterThan(seenBefore);
  });

  it('when an admitted fan polls, then the lean route answers the same admission as the normal route', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const fan = await joinedBrowser(eventId);
    expect((await ctx.services.queue.admitEvent(eventId)).admitted).toBe(1);

    const lean = await fan.agent.get(`/api/v1/events/${eventId}/queue`);
    const normal = await pollWith(eventId, `tk.sid=${fan.sid}`);

    expect(setCookies(lean)).toEqual([]);
    expect(lean.body).toMatchObject({ status: 'admitted' });
    expect(lean.body).toEqual(normal.body);
    expect(await ctx.redis.zscore(queueKeys(eventId).admitted, `s:${sidOf(fan.sid)}`)).not.toBeNull();
  });

  it('when the poll cookie is forged, altered, signed with another secret or stolen, then the normal route answers for the real session and never for the named fan', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const victim = await joinedBrowser(eventId);
    const victimSid = sidOf(victim.sid);
    const [payload, mac] = victim.q.split('.') as [string, string];
    const altered = `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherSecret = new QueueCookie({ SESSION_SECRET: 'another-secret-0123456789', COOKIE_SECURE: false }).issue({ sessionId: victimSid, userId: null });
    const fakeSid = encodeURIComponent(`s:${victimSid}.not-the-signature`);
    const attacker = ctx.agent();
    await attacker.post('/api/v1/auth/register').send({ email: `hot.${Date.now()}@example.test`, password: 'correct-horse-42', name: 'Eve' }).expect(201);
    const attackerSid = cookieSet(await attacker.get('/api/v1/auth/me'), 'tk.sid');
    const stolen = await attacker.get(`/api/v1/events/${eventId}/queue`).set('Cookie', `tk.q=${victim.q}`);

    const answers = [
      await pollWith(eventId, `tk.sid=${fakeSid}; tk.q=${altered}`),
      await pollWith(eventId, `tk.sid=${fakeSid}; tk.q=${otherSecret}`),
      await pollWith(eventId, `tk.sid=${fakeSid}; tk.q=${payload}.`),
      await pollWith(eventId, `tk.sid=${fakeSid}; tk.q=${victim.q}`), // the real poll cookie, a session cookie with a forged signature
      stolen,
    ];

    expect(attackerSid).toBeUndefined(); // the attacker's jar already holds its session cookie
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ status: 'not_in_queue' });
    }
    expect(await ctx.redis.zrange(queueKeys(eventId).queue, 0, -1)).toEqual([`s:${victimSid}`]);
  });

  it('when a poll carries no poll cookie, then the normal route answers it and issues the cookie, and the next poll takes the lean route', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const fan = await joinedBrowser(eventId);

    const normal = await pollWith(eventId, `tk.sid=${fan.sid}`);
    const issued = cookieSet(normal, 'tk.q')!;
    const lean = await pollWith(eventId, `tk.sid=${fan.sid}; tk.q=${issued}`);
    const stranger = await request(ctx.server).get(`/api/v1/events/${eventId}/queue`);

    expect(normal.body).toMatchObject({ status: 'queued', position: 1 });
    expect(setCookies(normal).find((c) => c.startsWith('tk.q='))).toMatch(/; Path=\/api\/v1\/events; .*HttpOnly; SameSite=Lax/);
    expect(setCookies(lean)).toEqual([]);
    expect(lean.body).toEqual(normal.body);
    expect(stranger.body).toEqual({ status: 'not_in_queue' });
    expect(cookieSet(stranger, 'tk.q')).toBeUndefined();
  });

  it('when a queued fan signs in and later signs out, then the poll still shows the place moved to the account, and after sign-out the old cookie no longer answers', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const fan = await joinedBrowser(eventId);
    const reg = await fan.agent.post('/api/v1/auth/register').send({ email: `hot.in.${Date.now()}@example.test`, password: 'correct-horse-42', name: 'Ada' }).expect(201);

    const afterSignIn = await fan.agent.get(`/api/v1/events/${eventId}/queue`);
    const next = await fan.agent.get(`/api/v1/events/${eventId}/queue`);
    const accountCookie = cookieSet(afterSignIn, 'tk.q')!;
    await fan.agent.post('/api/v1/auth/logout').expect((r) => expect(r.status).toBeLessThan(300));
    const afterSignOut = await pollWith(eventId, `tk.q=${accountCookie}`);

    expect(afterSignIn.body).toMatchObject({ status: 'queued', position: 1 });
    expect(accountCookie).toBeTruthy(); // the normal route re-issued the cookie for the new session and account
    expect(setCookies(next)).toEqual([]);
    expect(next.body).toEqual(afterSignIn.body);
    expect(await ctx.redis.zrange(queueKeys(eventId).queue, 0, -1)).toEqual([`u:${reg.body.id}`]);
    expect(afterSignOut.body).toEqual({ status: 'not_in_queue' });
  });

  it('when polls take the lean route, then the request metric counts them under the route of the normal path', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const fan = await joinedBrowser(eventId);
    const before = await polledCount('200');

    const normal = await pollWith(eventId, `tk.sid=${fan.sid}`);
    const lean1 = await fan.agent.get(`/api/v1/events/${eventId}/queue`);
    const lean2 = await fan.agent.get(`/api/v1/events/${eventId}/queue`);

    expect(cookieSet(normal, 'tk.q')).toBeTruthy();
    expect(setCookies(lean1)).toEqual([]);
    expect(setCookies(lean2)).toEqual([]);
    // The normal path records the metric on the response's 'finish', which can come just after
    // this client already has the answer (same process): wait for it, briefly.
    await vi.waitFor(async () => expect(await polledCount('200')).toBe(before + 3), { timeout: 2_000, interval: 20 });
  });

  it('when polls keep coming past the event-facts cache lifetime (5 s), then the facts are reloaded ahead of expiry and every poll stays on the lean route', async () => {
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const fan = await joinedBrowser(eventId);

    const answers: Res[] = [];
    for (const wait of [4_300, 400, 1_000]) {
      clockAheadMs += wait;
      answers.push(await fan.agent.get(`/api/v1/events/${eventId}/queue`));
      await ctx.services.events.facts(eventId); // a reload this poll started has landed before time moves on
    }

    for (const a of answers) {
      expect(a.body).toMatchObject({ status: 'queued', position: 1 });
      expect(setCookies(a)).toEqual([]);
    }
  });

  it('when the event is not a waiting-room event or unknown, then a poll with a valid cookie falls through to the normal problem answer', async () => {
    const hd = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    const plain = await createTestEvent(ctx.db, {});
    const fan = await joinedBrowser(hd.eventId);
    const cookie = `tk.sid=${fan.sid}; tk.q=${fan.q}`;

    const normalEvent = await pollWith(plain.eventId, cookie);
    const unknown = await pollWith('00000000-0000-4000-8000-000000000000', cookie);

    expect(normalEvent.status).toBe(409);
    expect(normalEvent.body.code).toBe('queue_not_enabled');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
