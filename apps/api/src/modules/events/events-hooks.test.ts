import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { queueKeys } from '../queue/queue.keys.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('event edits reach the other modules', () => {
  it('when an admin edits the queue settings through PUT /admin/events/:id, then the admission worker uses them on its next tick', async () => {
    const ev = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60, maxConcurrentShoppers: 10 });
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    await ctx.services.queue.join(ev.eventId, { sessionId: 'waiting-fan' });
    await ctx.services.queue.admitEvent(ev.eventId); // the worker loads the live settings into Redis
    expect(await ctx.redis.hget(queueKeys(ev.eventId).settings, 'rate')).toBe('60');
    const current = (await admin.get(`/api/v1/events/${ev.eventId}`)).body;

    const put = await admin.put(`/api/v1/admin/events/${ev.eventId}`).send({
      name: current.name,
      category: current.category,
      venueId: ev.venueId,
      startsAt: current.startsAt,
      onSaleAt: current.onSaleAt,
      highDemand: true,
      admissionRatePerMinute: 900,
      maxConcurrentShoppers: 25,
    });
    const after = await admin.get(`/api/v1/admin/events/${ev.eventId}/stats`);

    await ctx.services.queue.admitEvent(ev.eventId);

    expect(put.status).toBe(200);
    expect(after.body).toMatchObject({ admissionRatePerMinute: 900, maxConcurrentShoppers: 25 });
    expect(await ctx.redis.hget(queueKeys(ev.eventId).settings, 'rate')).toBe('900');
  });

  it('when an admin posts a stadium-sized venue layout, then it is accepted (the body limit fits 20,000 seats)', async () => {
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const rows = Array.from({ length: 100 }, (_, r) => ({ label: `R${r + 1}`, seats: Array.from({ length: 50 }, (_, n) => ({ number: n + 1, x: n * 10, y: r * 10 })) }));
    const sections = Array.from({ length: 4 }, (_, s) => ({ name: `Block ${s + 1}`, priceTier: s + 1, priceCents: 9000 - s * 1000, rows }));

    const res = await admin.post('/api/v1/admin/venues').send({ name: 'Big Bowl', city: 'Leeds', sections });

    expect(res.status).toBe(201);
    expect(res.body.totalSeats).toBe(20_000);
    const { rows: stored } = await ctx.db.query('SELECT count(*)::int AS n FROM venue_seats s JOIN venue_sections v ON v.id = s.section_id WHERE v.venue_id = $1', [res.body.id]);
    expect(stored[0].n).toBe(20_000);
  });
});
