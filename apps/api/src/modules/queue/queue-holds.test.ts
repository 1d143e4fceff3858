import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { queueKeys } from './queue.keys.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function activeHolds(eventId: string, userId: string): Promise<number> {
  const { rows } = await ctx.db.query(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1 AND user_id = $2 AND status = 'active'`, [eventId, userId]);
  return rows[0].n;
}

describe('waiting room enforcement on holds', () => {
  it('when a fan holds seats of a high-demand event without an admission, then 403 not_admitted and no hold exists', async () => {
    const { eventId, seatIds } = await createTestEvent(ctx.db, { highDemand: true });
    const { agent, user } = await signedInAgent(ctx);
    await agent.post(`/api/v1/events/${eventId}/queue`).expect(200); // queued is not admitted

    const res = await agent.post(`/api/v1/events/${eventId}/holds`).send({ seatIds: [seatIds[0]] });

    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_admitted');
    expect(await activeHolds(eventId, user.id)).toBe(0);
  });

  it('when the fan is admitted, then the hold is created (201); after finishing shopping the slot goes to the next fan and new holds are refused', async () => {
    const { eventId, seatIds } = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 600, maxConcurrentShoppers: 1 });
    const { agent, user } = await signedInAgent(ctx);
    const next = await signedInAgent(ctx);
    await agent.post(`/api/v1/events/${eventId}/queue`).expect(200);
    await next.agent.post(`/api/v1/events/${eventId}/queue`).expect(200);
    await ctx.services.queue.admitEvent(eventId);

    const held = await agent.post(`/api/v1/events/${eventId}/holds`).send({ seatIds: [seatIds[0]] });
    const refusedNext = await next.agent.post(`/api/v1/events/${eventId}/holds`).send({ seatIds: [seatIds[1]] });

    expect(held.status).toBe(201);
    expect(held.body.eventId).toBe(eventId);
    expect(await activeHolds(eventId, user.id)).toBe(1);
    expect(refusedNext.body.code).toBe('not_admitted');

    await ctx.services.queue.finishShopping(eventId, { userId: user.id, sessionId: 'any' });
    await ctx.services.queue.admitEvent(eventId);

    expect(await ctx.redis.zrange(queueKeys(eventId).admitted, 0, -1)).toEqual([`u:${next.user.id}`]);
    const again = await agent.post(`/api/v1/events/${eventId}/holds`).send({ seatIds: [seatIds[2]] });
    expect(again.body.code).toBe('not_admitted');
    const nextHeld = await next.agent.post(`/api/v1/events/${eventId}/holds`).send({ seatIds: [seatIds[1]] });
    expect(nextHeld.status).toBe(201);
  });

  it('when a fan holds seats of a normal event, then no queue is needed', async () => {
    const { eventId, seatIds } = await createTestEvent(ctx.db, { highDemand: false });
    const { agent, user } = await signedInAgent(ctx);

    const res = await agent.post(`/api/v1/events/${eventId}/holds`).send({ seatIds: [seatIds[0]] });

    expect(res.status).toBe(201);
    expect(await activeHolds(eventId, user.id)).toBe(1);
  });
});
