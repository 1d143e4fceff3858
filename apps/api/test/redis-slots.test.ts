import { randomUUID } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/modules/payments/simulated-provider.js';
import { createTestContext, signedInAgent, type TestContext } from './context.js';
import { createTestEvent } from './factories.js';

// Redis Cluster readiness: a command (or Lua script) that names several keys works on a cluster
// only if they all hash to one slot. Every per-event key carries the event id as a hash tag
// (`{eventId}`). This records every command the app sends during a full sale on a high-demand
// event — queue join, status, admission, hold, checkout, release, expiry, reconcile, leave — and
// checks each multi-key command's keys share a slot.

interface Sent {
  name: string;
  keys: string[];
}

let ctx: TestContext;
const sent: Sent[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ HOLD_TTL_SECONDS: '600' });
  const redis = ctx.redis as unknown as { sendCommand: (cmd: { name: string; getKeys(): (string | Buffer)[] }) => unknown };
  const original = redis.sendCommand.bind(redis);
  redis.sendCommand = (cmd) => {
    sent.push({ name: cmd.name, keys: cmd.getKeys().map(String) });
    return original(cmd);
  };
});
afterAll(async () => {
  await ctx.services.inventory.close();
  await ctx.close();
});

describe('Redis keys and Redis Cluster', () => {
  it('when a high-demand sale runs end to end, then every command that names several keys names keys of one hash slot', async () => {
    const ev = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 600, maxConcurrentShoppers: 5, sections: [{ rows: 1, seatsPerRow: 6 }] });
    const buyer = await signedInAgent(ctx);
    const leaver = await signedInAgent(ctx);
    const url = `/api/v1/events/${ev.eventId}`;

    await buyer.agent.post(`${url}/queue`).expect(200);
    await leaver.agent.post(`${url}/queue`).expect(200);
    await buyer.agent.get(`${url}/queue`).expect(200);
    await ctx.services.queue.admitEvent(ev.eventId);
    await buyer.agent.get(`${url}/availability`).expect(200);

    const first = await buyer.agent.post(`${url}/holds`).send({ seatIds: [ev.seatIds[0], ev.seatIds[1]] });
    expect(first.status).toBe(201);
    const replaced = await buyer.agent.post(`${url}/holds`).send({ quantity: 2 }); // best available, replacing the hold
    expect(replaced.status).toBe(201);
    const order = await buyer.agent
      .post('/api/v1/checkout')
      .set('Idempotency-Key', randomUUID())
      .send({ holdId: replaced.body.id, payment: { cardNumber: TEST_CARDS.success, expMonth: 12, expYear: 2099, cvc: '123', name: 'Slot Test' } });
    expect(order.status).toBe(201);

    await ctx.services.inventory.expireDueHolds();
    await ctx.services.inventory.reconcileSnapshots(true);
    await leaver.agent.delete(`${url}/queue`).expect(204);

    const multiKey = sent.filter((c) => new Set(c.keys).size > 1);
    // Not vacuous: the seat locks, the snapshot and the waiting room all sent multi-key commands.
    expect(multiKey.some((c) => c.keys.some((k) => k.includes(`inv:{${ev.eventId}}:seat:`)))).toBe(true);
    expect(multiKey.some((c) => c.keys.some((k) => k.includes(`inv:{${ev.eventId}}:st`)))).toBe(true);
    expect(multiKey.some((c) => c.keys.some((k) => k.includes(`q:{${ev.eventId}}:`)))).toBe(true);

    const crossSlot = multiKey
      .filter((c) => new Set(c.keys.map((k) => calculateSlot(k))).size > 1)
      .map((c) => `${c.name} ${c.keys.join(' ')}`);
    expect(crossSlot).toEqual([]);
  });
});
