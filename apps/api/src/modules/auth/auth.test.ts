import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, TEST_PASSWORD, uniqueEmail, type TestContext } from '../../../test/context.js';

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
    limited = await createTestContext({ RATE_LIMITS: 'on', RATE_LIMIT_LOGIN_PER_ACCOUNT: '3', RATE_LIMIT_LOGIN_PER_IP: '1000' });
  });
  afterAll(() => limited.close());

  it('when one account fails login too often, then 429 rate_limited with Retry-After, even from another agent', async () => {
    const { email } = await signedInAgent(limited);
    for (let i = 0; i < 3; i++) expect((await limited.agent().post('/api/v1/auth/login').send({ email, password: 'wrong-password-1' })).status).toBe(401);
    const res = await limited.agent().post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
    expectProblem(res, 429, 'rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
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
