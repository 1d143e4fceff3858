import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent, createTestHold } from '../../../test/factories.js';
import { testCard } from './test-purchase.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '0', PAYMENT_TIMEOUT_MS: '1000' });
});
afterAll(async () => {
  await ctx.close();
});

/**
 * The state a process leaves when it dies after reserving (and maybe charging) but before the
 * sale: a 'pending' order claiming the key, the hold pushed forward by the grace.
 */
async function crashedCheckout(opts: { charged: boolean }) {
  const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 5, priceCents: 3000 }] });
  const buyer = await signedInAgent(ctx);
  const { holdId, expiresAt } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: buyer.user.id, seatIds: ev.seatIds.slice(0, 2), expiresInSeconds: 300 });
  const key = randomUUID();
  const body = { holdId, payment: testCard() };
  const hash = ctx.services.checkout.requestHash(body);
  const order = (
    await ctx.db.query(
      `INSERT INTO orders (user_id, event_id, hold_id, idempotency_key, request_hash, status, total_cents, currency, hold_expires_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', 6000, 'EUR', $6, now() - interval '10 minutes') RETURNING id`,
      [buyer.user.id, ev.eventId, holdId, key, hash, expiresAt],
    )
  ).rows[0];
  await ctx.db.query(`UPDATE holds SET expires_at = expires_at + interval '2 minutes' WHERE id = $1`, [holdId]);
  let paymentId: string | null = null;
  if (opts.charged) {
    ({ paymentId } = await ctx.services.paymentProvider.charge({ idempotencyKey: order.id, amountCents: 6000, currency: 'EUR', card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123', name: 'X' } }));
  }
  return { ...buyer, holdId, expiresAt, key, body, orderId: order.id as string, paymentId, seatIds: ev.seatIds.slice(0, 2) };
}

describe('checkout recovery', () => {
  it('when a process died after charging, then the reconciler refunds the charge, fails the order and gives the hold back its own expiry', async () => {
    const c = await crashedCheckout({ charged: true });
    const refundsBefore = await ctx.services.paymentProvider.refundCount();

    const settled = await ctx.services.checkout.reconcile();

    expect(settled).toBeGreaterThanOrEqual(1);
    expect(await ctx.services.paymentProvider.refundCount()).toBe(refundsBefore + 1);
    expect(await ctx.services.paymentProvider.isRefunded(c.paymentId!)).toBe(true);
    const order = (await ctx.db.query(`SELECT status, failure_code, payment_id FROM orders WHERE id = $1`, [c.orderId])).rows[0];
    expect(order).toMatchObject({ status: 'failed', failure_code: 'hold_expired', payment_id: c.paymentId });
    const hold = (await ctx.db.query(`SELECT status, expires_at FROM holds WHERE id = $1`, [c.holdId])).rows[0];
    expect(hold.status).toBe('active');
    expect(hold.expires_at.getTime()).toBe(c.expiresAt.getTime());
    // The buyer's retry with the same key gets the settled outcome, not a new charge.
    const chargesBefore = await ctx.services.paymentProvider.chargeCount();
    const replay = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);
    expect(replay.status).toBe(410);
    expect(await ctx.services.paymentProvider.chargeCount()).toBe(chargesBefore);
  });

  it('when a process died before charging, then the reconciler fails the order without any refund', async () => {
    const c = await crashedCheckout({ charged: false });
    const refundsBefore = await ctx.services.paymentProvider.refundCount();

    await ctx.services.checkout.reconcile();

    expect(await ctx.services.paymentProvider.refundCount()).toBe(refundsBefore);
    const order = (await ctx.db.query(`SELECT status, failure_code FROM orders WHERE id = $1`, [c.orderId])).rows[0];
    expect(order).toMatchObject({ status: 'failed', failure_code: 'hold_expired' });
  });

  it('when the buyer retries a stale pending checkout with the same key, then it resumes under the same order and the earlier charge is reused, not repeated', async () => {
    const c = await crashedCheckout({ charged: true });
    const chargesBefore = await ctx.services.paymentProvider.chargeCount();

    const res = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);

    expect(res.status).toBe(201);
    expect(res.body.id).toBe(c.orderId);
    expect(await ctx.services.paymentProvider.chargeCount()).toBe(chargesBefore);
    const order = (await ctx.db.query(`SELECT status, payment_id FROM orders WHERE id = $1`, [c.orderId])).rows[0];
    expect(order).toMatchObject({ status: 'completed', payment_id: c.paymentId });
    const seats = (await ctx.db.query(`SELECT status FROM event_seats WHERE id = ANY($1::uuid[])`, [c.seatIds])).rows;
    expect(seats.every((s) => s.status === 'sold')).toBe(true);
  });

  it('when a refund after a failed sale could not be made, then the reconciler makes it later', async () => {
    const ev = await createTestEvent(ctx.db);
    const buyer = await signedInAgent(ctx);
    const { holdId } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: buyer.user.id, seatIds: ev.seatIds.slice(0, 1) });
    const provider = ctx.services.paymentProvider;
    provider.afterCharge = async () => {
      await ctx.db.query(`UPDATE event_seats SET status = 'available', hold_id = NULL, holder_user_id = NULL, held_until = NULL WHERE hold_id = $1`, [holdId]);
      await ctx.db.query(`UPDATE holds SET status = 'released', ended_at = now() WHERE id = $1`, [holdId]);
      provider.outage = true; // the provider goes down right after charging: the refund fails
    };
    try {
      const res = await buyer.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: testCard() });
      expect(res.status).toBe(410);
    } finally {
      provider.afterCharge = null;
      provider.outage = false;
    }
    const before = (await ctx.db.query(`SELECT id, failure_code, payment_id FROM orders WHERE user_id = $1`, [buyer.user.id])).rows[0];
    expect(before.failure_code).toBe('refund_pending');
    expect(await provider.isRefunded(before.payment_id)).toBe(false);

    await ctx.services.checkout.reconcile();

    expect(await provider.isRefunded(before.payment_id)).toBe(true);
    const after = (await ctx.db.query(`SELECT o.status, o.failure_code, p.status AS payment FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = $1`, [before.id])).rows[0];
    expect(after).toMatchObject({ status: 'failed', failure_code: 'hold_expired', payment: 'refunded' });
  });

  it('when a timed-out charge went through late and the buyer never retried, then the reconciler refunds it after the settle window', async () => {
    const c = await crashedCheckout({ charged: true });
    await ctx.db.query(`UPDATE orders SET status = 'failed', failure_code = 'payment_unavailable', updated_at = now() - interval '20 minutes' WHERE id = $1`, [c.orderId]);

    await ctx.services.checkout.reconcile();

    expect(await ctx.services.paymentProvider.isRefunded(c.paymentId!)).toBe(true);
    const order = (await ctx.db.query(`SELECT status, failure_code, payment_id FROM orders WHERE id = $1`, [c.orderId])).rows[0];
    expect(order).toMatchObject({ status: 'failed', failure_code: 'hold_expired', payment_id: c.paymentId });
    const replay = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);
    expect(replay.status).toBe(410);
  });
});
