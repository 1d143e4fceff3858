import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { createTestContext, signedInAgent, TEST_PASSWORD, uniqueEmail, type TestContext } from '../../../test/context.js';
import { createMetrics } from '../../platform/metrics.js';
import { createRateLimiters } from '../../platform/rate-limit.js';
import { loginDelayMs } from './login-throttle.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function userCount(email: string) {
  const { rows } = await ctx.db.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [email.toLowerCase()]);
  return rows[0].n as number;
}

function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.code).toBe(code);
  expect(res.body.status).toBe(status);
  expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|SELECT|INSERT/);
}

describe('auth', () => {
  it('when a fan registers, then the account exists, the session is started and /me answers it', async () => {
    const agent = ctx.agent();
    const email = uniqueEmail();
    const res = await agent.post('/api/v1/auth/register').send({ email: email.toUpperCase(), password: TEST_PASSWORD, name: 'Ada' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, name: 'Ada', role: 'user' });
    expect(res.body.password_hash).toBeUndefined();
    expect(res.headers['set-cookie']?.[0]).toMatch(/tk\.sid=.*HttpOnly.*SameSite=Lax/i);
    const me = await agent.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.id);
    const { rows } = await ctx.db.query('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
    expect(rows[0].password_hash).toMatch(/^\$2[aby]\$/);
  });

  it('when logging in with the right password, then a new session id is issued and me works; logout ends it', async () => {
    const { email } = await signedInAgent(ctx);
    const agent = ctx.agent();
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
    const login = await agent.post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.email).toBe(email);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(200);
    expect((await agent.post('/api/v1/auth/logout')).status).toBe(204);
    expectProblem(await agent.get('/api/v1/auth/me'), 401, 'unauthenticated');
  });

  it('when the session id changes at login, then the old anonymous cookie is not the new one (no fixation)', async () => {
    const { email } = await signedInAgent(ctx);
    const agent = ctx.agent();
    const first = await agent.post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
    const second = await agent.post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
    const sid = (r: typeof first) => String(r.headers['set-cookie']?.[0]).split(';')[0];
    expect(sid(first)).not.toBe(sid(second));
  });

  it('when the password is wrong or the e-mail unknown, then 401 invalid_credentials, same answer for both', async () => {
    const { email } = await signedInAgent(ctx);
    const wrong = await ctx.agent().post('/api/v1/auth/login').send({ email, password: 'wrong-password-1' });
    const unknown = await ctx.agent().post('/api/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'wrong-password-1' });
    expectProblem(wrong, 401, 'invalid_credentials');
    expectProblem(unknown, 401, 'invalid_credentials');
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('when the e-mail is taken (any case), then 409 email_taken and nothing new is stored', async () => {
    const { email } = await signedInAgent(ctx);
    const res = await ctx.agent().post('/api/v1/auth/register').send({ email: email.toUpperCase(), password: TEST_PASSWORD, name: 'Twin' });
    expectProblem(res, 409, 'email_taken');
    expect(await userCount(email)).toBe(1);
  });

  it.each([
    ['a weak password', { password: 'short' }, 'body.password'],
    ['a password without digits', { password: 'onlylettershere' }, 'body.password'],
    ['a malformed e-mail', { email: 'not-an-email' }, 'body.email'],
    ['a missing name', { name: '' }, 'body.name'],
    ['an unknown field', { isAdmin: true }, 'body'],
  ])('when registering with %s, then 400 validation_failed naming the field, nothing stored', async (_label, patch, path) => {
    const email = uniqueEmail('bad');
    const res = await ctx.agent().post('/api/v1/auth/register').send({ email, password: TEST_PASSWORD, name: 'X', ...patch });
    expectProblem(res, 400, 'validation_failed');
    expect((res.body.errors as { path: string }[]).some((e) => e.path.startsWith(path))).toBe(true);
    expect(await userCount(email)).toBe(0);
  });

  it('when the body is oversized or not JSON, then 413 / 400 problem+json', async () => {
    const big = await ctx.agent().post('/api/v1/auth/register').set('content-type', 'application/json').send(JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(300_000), name: 'x' }));
    expectProblem(big, 413, 'payload_too_large');
    const broken = await ctx.agent().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email": ');
    expectProblem(broken, 400, 'validation_failed');
  });

  it('when a session is made on one instance, then a second instance sharing Redis knows it', async () => {
    const { agent, user } = await signedInAgent(ctx);
    const other = ctx.sibling();
    const cookie = (await agent.get('/api/v1/auth/me')).request.cookies ?? '';
    // supertest agents keep their own jar; carry the cookie across explicitly.
    const jarCookie = (agent as unknown as { jar: { getCookies: (o: unknown) => { toValueString(): string }[] } }).jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => c.toValueString())
      .join('; ');
    const res = await other.agent().get('/api/v1/auth/me').set('Cookie', jarCookie || String(cookie));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(user.id);
  });

  it('when a cross-site page posts with the cookie, then 403 csrf_failed and nothing happens', async () => {
    const { agent } = await signedInAgent(ctx);
    const res = await agent.post('/api/v1/auth/logout').set('Origin', 'https://evil.example').set('Sec-Fetch-Site', 'cross-site');
    expectProblem(res, 403, 'csrf_failed');
    expect((await agent.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('when a request carries X-Request-Id, then the answer echoes it; otherwise one is minted', async () => {
    const withId = await ctx.agent().get('/api/v1/auth/me').set('X-Request-Id', 'req-abc-123');
    expect(withId.headers['x-request-id']).toBe('req-abc-123');
    expect(withId.body.requestId).toBe('req-abc-123');
    const without = await ctx.agent().get('/api/v1/auth/me');
    expect(without.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('login rate limits', () => {
  let limited: TestContext;
  beforeAll(async () => {
    limited = await createTestContext({
      RATE_LIMITS: 'on',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '3',
      RATE_LIMIT_LOGIN_PER_IP: '1000',
      RATE_LIMIT_REGISTER_PER_IP: '1000',
      RATE_LIMIT_LOGIN_DELAY_AFTER: '3',
      RATE_LIMIT_LOGIN_DELAY_BASE_MS: '1',
      RATE_LIMIT_LOGIN_DELAY_MAX_MS: '4',
    });
  });
  afterAll(() => limited.close());

  const login = (from: string, email: string, password: string) =>
    limited.agent().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

  it('when one address fails an account too often, then that address gets 429 rate_limited with Retry-After, even with the right password', async () => {
    const { email } = await signedInAgent(limited);
    for (let i = 0; i < 3; i++) expect((await login('198.51.100.1', email, 'wrong-password-1')).status).toBe(401);
    const res = await login('198.51.100.1', email, TEST_PASSWORD);
    expectProblem(res, 429, 'rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when many wrong passwords come from other addresses, then they are refused there and slowed down, and the owner still signs in from theirs', async () => {
    const { email } = await signedInAgent(limited);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await login(`198.51.100.${10 + (i % 4)}`, email, `guess-${i}-password`)).status);
    // Each foreign address has 3 failures, then is refused for this account.
    expect(statuses.filter((s) => s === 401)).toHaveLength(12);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
    expect(await limited.services.auth.throttle.delayFor(email)).toBe(4); // capped progressive delay, not a lock
    const delayed = await limited.deps.metrics.registry.getSingleMetricAsString('login_delayed_total');
    expect(delayed).toMatch(/login_delayed_total\{[^}]*\} [1-9]/);

    const owner = await login('192.0.2.50', email, TEST_PASSWORD);
    expect(owner.status).toBe(200);
    expect(owner.body.email).toBe(email);
    expect(await limited.services.auth.throttle.delayFor(email)).toBe(0);
    // Also from the address the requests really come from (no proxy header).
    expect((await limited.agent().post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD })).status).toBe(200);
  });

  it('when the owner mistypes a few times, then signing in succeeds and those failures do not use up their allowance', async () => {
    const { email } = await signedInAgent(limited);
    for (let round = 0; round < 3; round++) {
      expect((await login('192.0.2.60', email, 'wrong-password-1')).status).toBe(401);
      expect((await login('192.0.2.60', email, 'wrong-password-2')).status).toBe(401);
      expect((await login('192.0.2.60', email, TEST_PASSWORD)).status).toBe(200);
    }
  });

  it('when a limiter refuses a flood, then every refusal is counted by limiter and only the first is logged', async () => {
    const lines: { msg: string; limiter?: string }[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const metrics = createMetrics('rl-test');
    const env = { ...limited.env, RATE_LIMIT_REGISTER_PER_IP: 2 };
    const limiters = createRateLimiters({ ...limited.deps, env, logger: pino({ level: 'info' }, sink), metrics });
    const app = express();
    app.set('trust proxy', env.TRUST_PROXY);
    app.post('/x', limiters.registerPerIp, (_req, res) => void res.status(204).end());
    const from = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await request(app).post('/x').set('X-Forwarded-For', from)).status);
    expect(statuses).toEqual([204, 204, 429, 429, 429, 429, 429, 429]);
    expect(await metrics.registry.getSingleMetricAsString('rate_limited_requests_total')).toMatch(/rate_limited_requests_total\{limiter="register-ip"[^}]*\} 6/);
    expect(lines.filter((l) => l.limiter === 'register-ip')).toHaveLength(1);
  });
});

describe('X-Forwarded-For is believed only from TRUST_PROXY', () => {
  let untrusted: TestContext;
  beforeAll(async () => {
    // The test client connects over loopback, which this instance does not trust.
    untrusted = await createTestContext({ RATE_LIMITS: 'on', TRUST_PROXY: '10.9.9.9', RATE_LIMIT_LOGIN_PER_IP: '3' });
  });
  afterAll(() => untrusted.close());

  it('when a client that is not the front door sends X-Forwarded-For, then it cannot change its rate-limit key', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const res = await untrusted.agent().post('/api/v1/auth/login').set('X-Forwarded-For', `198.51.100.${100 + i}`).send({ email: uniqueEmail('nobody'), password: 'wrong-password-1' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('when the same requests come through a trusted front door, then each forwarded address has its own allowance', async () => {
    const behindProxy = untrusted.sibling({ TRUST_PROXY: 'loopback' });
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const res = await behindProxy.agent().post('/api/v1/auth/login').set('X-Forwarded-For', `198.51.100.${200 + i}`).send({ email: uniqueEmail('nobody'), password: 'wrong-password-1' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
  });
});

describe('signing in keeps a waiting-room place', () => {
  it('when an anonymous visitor joins the queue and then registers, then the account keeps the place', async () => {
    const { createTestEvent } = await import('../../../test/factories.js');
    const { eventId } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 1, maxConcurrentShoppers: 1 });
    await ctx.services.queue.join(eventId, { sessionId: 'someone-earlier' });
    const visitor = ctx.agent();
    const joined = await visitor.post(`/api/v1/events/${eventId}/queue`);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ status: 'queued', position: 2 });

    const reg = await visitor.post('/api/v1/auth/register').send({ email: uniqueEmail('queued'), password: TEST_PASSWORD, name: 'Queued' });
    expect(reg.status).toBe(201);

    const after = await visitor.get(`/api/v1/events/${eventId}/queue`);
    expect(after.body).toMatchObject({ status: 'queued', position: 2 });
  });
});

describe('login delay schedule', () => {
  it('when an account has failures, then no delay up to the threshold, then doubling up to the cap', () => {
    const env = { RATE_LIMIT_LOGIN_DELAY_AFTER: 3, RATE_LIMIT_LOGIN_DELAY_BASE_MS: 500, RATE_LIMIT_LOGIN_DELAY_MAX_MS: 4000 };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => loginDelayMs(n, env))).toEqual([0, 0, 0, 500, 1000, 2000, 4000, 4000, 4000]);
  });
});
