import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('operations endpoints', () => {
  it('when everything is up, then /health and /ready answer 200', async () => {
    expect((await ctx.agent().get('/health')).status).toBe(200);
    const ready = await ctx.agent().get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ postgres: 'up', redis: 'up' });
  });

  it('when Redis is unreachable, then /ready answers 503 and names it', async () => {
    const broken = ctx.sibling({ REDIS_URL: 'redis://127.0.0.1:1' });
    const ready = await broken.agent().get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis).toBe('down');
    expect(ready.body.checks.postgres).toBe('up');
  });

  it('when PostgreSQL is unreachable, then /ready answers 503', async () => {
    const { createPool } = await import('../../platform/db.js');
    const { createHealthModule } = await import('./health.module.js');
    const express = (await import('express')).default;
    const request = (await import('supertest')).default;
    const db = createPool('postgres://root@127.0.0.1:1/none', 1);
    const app = express().use(...createHealthModule({ ...ctx.deps, db }).rootRoutes);
    const ready = await request(app).get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.postgres).toBe('down');
    await db.end();
  });

  it('when /metrics is scraped after traffic, then it has the request histogram by route and status', async () => {
    await ctx.agent().get('/api/v1/auth/me');
    const res = await ctx.agent().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/api\/v1\/auth\/me".*status="401"/);
    expect(res.text).toMatch(/process_cpu_seconds_total/);
  });

  it('when a path is unknown, then 404 problem+json', async () => {
    const res = await ctx.agent().get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});

describe('when Redis is down', () => {
  it('then signing in answers 503 service_unavailable with Retry-After, not a 500', async () => {
    const { signedInAgent } = await import('../../../test/context.js');
    const { email } = await signedInAgent(ctx);
    const broken = ctx.sibling({ REDIS_URL: 'redis://127.0.0.1:1' });
    const res = await broken.agent().post('/api/v1/auth/login').send({ email, password: 'correct-horse-42' });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('service_unavailable');
    expect(res.headers['retry-after']).toBe('5');
  });
});
