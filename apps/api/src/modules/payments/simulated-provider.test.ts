import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent, createTestHold } from '../../../test/factories.js';
import { testCard } from '../checkout/test-purchase.js';
import { luhnValid, TEST_CARDS } from './simulated-provider.js';

describe('luhnValid', () => {
  it('when a number passes the checksum, then it is valid; one changed digit makes it invalid', () => {
    for (const n of Object.values(TEST_CARDS)) expect(luhnValid(n), n).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('4000000000000001')).toBe(false);
    expect(luhnValid('79927398713')).toBe(false); // too short for a card, even though the checksum holds
    expect(luhnValid('424242424242424x')).toBe(false);
  });
});

describe('simulated provider', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '0' });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('when the card number fails the Luhn check, then checkout answers 402 card_invalid, nothing is charged, and the hold stays with its own expiry', async () => {
    const ev = await createTestEvent(ctx.db);
    const { agent, user } = await signedInAgent(ctx);
    const { holdId, expiresAt } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: user.id, seatIds: ev.seatIds.slice(0, 1) });
    const provider = ctx.services.paymentProvider;
    const charges = await provider.chargeCount();
    const key = randomUUID();
    const body = { holdId, payment: testCard('4242 4242 4242 4241') };

    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send(body);

    expect(res.status).toBe(402);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('card_invalid');
    expect(await provider.chargeCount()).toBe(charges);
    const order = (await ctx.db.query(`SELECT o.id, o.status, o.failure_code, o.payment_id, p.status AS payment FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.user_id = $1`, [user.id])).rows[0];
    expect(order).toMatchObject({ status: 'failed', failure_code: 'card_invalid', payment_id: null, payment: 'declined' });
    expect(await ctx.redis.exists(`simpay:{ledger}:key:${order.id}`)).toBe(0);
    const hold = (await ctx.db.query(`SELECT status, expires_at FROM holds WHERE id = $1`, [holdId])).rows[0];
    expect(hold.status).toBe('active');
    expect(hold.expires_at.getTime()).toBe(expiresAt.getTime());
    // The same key again: the stored answer, still nothing charged. A good card then buys the hold.
    const replay = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send(body);
    expect([replay.status, replay.body.code]).toEqual([402, 'card_invalid']);
    const good = await agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: testCard() });
    expect(good.status).toBe(201);
    expect(await provider.chargeCount()).toBe(charges + 1);
  });

  it('when one key is charged many times at once from two instances, then one charge is recorded with both its idempotency and payment records, and it can be refunded once', async () => {
    const key = randomUUID();
    const card = { number: TEST_CARDS.success, expMonth: 12, expYear: 2099, cvc: '123', name: 'X' };
    const providers = [ctx.services.paymentProvider, ctx.sibling().services.paymentProvider];
    const charges = await providers[0]!.chargeCount();

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => providers[i % 2]!.charge({ idempotencyKey: key, amountCents: 1000, currency: 'EUR', card })));

    const ids = new Set(results.map((r) => r.paymentId));
    expect(ids.size).toBe(1);
    const [paymentId] = [...ids];
    expect(await providers[0]!.chargeCount()).toBe(charges + 1);
    expect(await ctx.redis.exists(`simpay:{ledger}:key:${key}`)).toBe(1);
    expect(await ctx.redis.get(`simpay:{ledger}:payment:${paymentId}`)).toBe(key);
    const refunds = await providers[0]!.refundCount();
    await Promise.all(providers.map((p) => p.refund(paymentId!)));
    expect(await providers[0]!.refundCount()).toBe(refunds + 1);
    expect(await providers[0]!.isRefunded(paymentId!)).toBe(true);
  });
});
