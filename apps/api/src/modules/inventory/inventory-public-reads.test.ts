import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Availability, SeatMap } from '@ticketing/shared';
import { createTestContext, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { AVAILABILITY_CACHE_CONTROL } from './inventory.routes.js';

/** The availability / seat map routes mounted before the body parsers and session (inventoryPublicRoutes, app.ts). */
let ctx: TestContext;
let limited: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  limited = await createTestContext({ RATE_LIMIT_API_PER_IP: '3', RATE_LIMIT_API_WINDOW_SECONDS: '60' });
});
afterAll(async () => {
  await ctx.services.inventory.close();
  await ctx.close();
  await limited.services.inventory.close();
  await limited.close();
});

const SECURITY_HEADERS = ['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-resource-policy'];

describe('public reads every fan polls', () => {
  it('when availability is read, then it is answered with the same security headers as every other route, a request id, no session cookie, and the body parses', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 6 }] });

    const read = await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`).set('X-Request-Id', 'trace-123');
    const normal = await ctx.agent().get('/api/v1/auth/me');

    expect(read.status).toBe(200);
    expect(Availability.parse(read.body).statuses).toBe('aaaaaa');
    expect(read.headers['x-request-id']).toBe('trace-123');
    expect(read.headers['set-cookie']).toBeUndefined();
    expect(read.headers['cache-control']).toBe(AVAILABILITY_CACHE_CONTROL);
    expect(read.headers.etag).toBe(`"av-${read.body.version}"`); // strong: the bytes of one version never change
    expect(read.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const h of SECURITY_HEADERS) expect(read.headers[h], h).toBe(normal.headers[h]);
    const minted = await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`).set('X-Request-Id', 'bad id with spaces');
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the client sends the current ETag, then 304 without a body; the seat map has its ETag and 304 too', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 4 }] });
    const first = await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`);

    const again = await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`).set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');

    const map = await ctx.agent().get(`/api/v1/events/${ev.eventId}/seatmap`);
    expect(map.status).toBe(200);
    expect(SeatMap.parse(map.body).sections).toHaveLength(1);
    expect(map.headers['cache-control']).toBe('public, max-age=300');
    const map304 = await ctx.agent().get(`/api/v1/events/${ev.eventId}/seatmap`).set('If-None-Match', map.headers.etag!);
    expect(map304.status).toBe(304);
  });

  it('when the event is unknown or the URL is odd, then the answer is the usual problem (404 not found, 400 validation)', async () => {
    const unknown = await ctx.agent().get(`/api/v1/events/${randomUUID()}/availability`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body.code).toBe('not_found');
    const badId = await ctx.agent().get('/api/v1/events/not-a-uuid/seatmap');
    expect(badId.status).toBe(400);
    expect(badId.body.code).toBe('validation_failed');
  });

  it('when the public reads are served, then the request-duration metric counts them under the route label', async () => {
    const ev = await createTestEvent(ctx.db);
    await ctx.agent().get(`/api/v1/events/${ev.eventId}/availability`);
    const text = (await ctx.agent().get('/metrics')).text;
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/events\/:eventId\/availability",status="200"\} [1-9]/);
  });

  it('when rate limits are on, then the per-IP API limit applies to them too (429 after the limit)', async () => {
    const ev = await createTestEvent(limited.db);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await limited.agent().get(`/api/v1/events/${ev.eventId}/availability`)).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
