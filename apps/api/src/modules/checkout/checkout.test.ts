import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order } from '@ticketing/shared';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent, createTestHold } from '../../../test/factories.js';
import { TEST_CARDS } from '../payments/simulated-provider.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '5' });
});
afterAll(async () => {
  await ctx.close();
});

const card = (cardNumber: string = TEST_CARDS.success) => ({ cardNumber, expMonth: 12, expYear: 2099, cvc: '123', name: 'Test Buyer' });

/** A signed-in buyer holding `n` seats of a fresh event. */
async function buyerWithHold(n = 2, opts: { expiresInSeconds?: number } = {}) {
  const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 10, priceCents: 2500 }] });
  const { agent, user } = await signedInAgent(ctx);
  const seatIds = ev.seatIds.slice(0, n);
  const { holdId, expiresAt } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: user.id, seatIds, ...opts });
  return { ev, agent, user, seatIds, holdId, expiresAt };
}

async function seatRows(seatIds: string[]) {
  const { rows } = await ctx.db.query(`SELECT id, status, order_id, hold_id, held_until FROM event_seats WHERE id = ANY($1::uuid[]) ORDER BY seat_index`, [seatIds]);
  return rows;
}
async function holdRow(holdId: string) {
  return (await ctx.db.query(`SELECT status, expires_at FROM holds WHERE id = $1`, [holdId])).rows[0];
}
async function ordersOf(userId: string) {
  return (await ctx.db.query(`SELECT id, status, failure_code, payment_id, idempotency_key FROM orders WHERE user_id = $1`, [userId])).rows;
}
const charges = () => ctx.services.paymentProvider.chargeCount();

describe('POST /checkout', () => {
  it('when the hold is valid and the card is good, then it answers 201 with the order, sells the seats, converts the hold and charges once', async () => {
    const { agent, user, seatIds, holdId, ev } = await buyerWithHold(2);
    const before = await charges();

    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: card() });

    expect(res.status).toBe(201);
    expect(Order.safeParse(res.body).success).toBe(true);
    expect(res.body).toMatchObject({ eventId: ev.eventId, status: 'completed', totalCents: 5000, currency: 'EUR' });
    expect(res.body.tickets).toHaveLength(2);
    expect(await charges()).toBe(before + 1);
    const seats = await seatRows(seatIds);
    expect(seats.every((s) => s.status === 'sold' && s.order_id === res.body.id && s.hold_id === null && s.held_until === null)).toBe(true);
    expect((await holdRow(holdId)).status).toBe('converted');
    const orders = await ordersOf(user.id);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'completed' });
    const payment = (await ctx.db.query(`SELECT status, card_last4, provider_ref FROM payments WHERE order_id = $1`, [res.body.id])).rows[0];
    expect(payment).toMatchObject({ status: 'succeeded', card_last4: '4242', provider_ref: orders[0].payment_id });
    const tickets = (await ctx.db.query(`SELECT status FROM tickets WHERE order_id = $1`, [res.body.id])).rows;
    expect(tickets.map((t) => t.status)).toEqual(['valid', 'valid']);
  });

  it("when the venue is in Europe/Lisbon, then the order's event carries that time zone, on the sale and on the replay", async () => {
    const { agent, holdId, ev } = await buyerWithHold(1);
    await ctx.db.query(`UPDATE venues SET timezone = 'Europe/Lisbon' WHERE id = $1`, [ev.venueId]);
    const key = randomUUID();

    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card() });
    const replay = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card() });

    expect(res.status).toBe(201);
    expect(Order.safeParse(res.body).success).toBe(true);
    expect(res.body.event).toMatchObject({ name: 'Test Event', venueName: 'Test Arena', venueTimeZone: 'Europe/Lisbon' });
    expect(replay.status).toBe(201);
    expect(replay.body.event).toEqual(res.body.event);
  });

  it('when the same key and body are sent twice, then both answers are the same order and the card is charged once', async () => {
    const { agent, user, holdId } = await buyerWithHold(1);
    const key = randomUUID();
    const before = await charges();

    const first = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card() });
    const second = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card() });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await charges()).toBe(before + 1);
    expect(await ordersOf(user.id)).toHaveLength(1);
  });

  it('when 20 requests with one key race, then there is one order and one charge; each answer is that order or 409 checkout_in_progress with Retry-After, and a retry answers the order', async () => {
    const { agent, user, holdId } = await buyerWithHold(2);
    const key = randomUUID();
    const before = await charges();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card() })),
    );

    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
    for (const busy of answers.filter((a) => a.status === 409)) {
      expect(busy.body.code).toBe('checkout_in_progress');
      expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(ids.size).toBe(1);
    const retry = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card() });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe([...ids][0]);
    expect(await charges()).toBe(before + 1);
    expect(await ordersOf(user.id)).toHaveLength(1);
  });

  it('when the same key comes with a different body, then it answers 422 idempotency_conflict and nothing changes', async () => {
    const { agent, user, holdId } = await buyerWithHold(1);
    const key = randomUUID();
    const first = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card() });
    const before = await charges();

    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: { ...card(), name: 'Someone Else' } });

    expect(first.status).toBe(201);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency_conflict');
    expect(await charges()).toBe(before);
    const orders = await ordersOf(user.id);
    expect(orders).toHaveLength(1);
    expect(orders[0].status).toBe('completed');
    // The stored request hash never contains the card number in clear.
    const { rows } = await ctx.db.query(`SELECT request_hash FROM orders WHERE id = $1`, [first.body.id]);
    expect(rows[0].request_hash).not.toContain(TEST_CARDS.success);
  });

  it('when another user uses the same key, then their checkout is independent', async () => {
    const a = await buyerWithHold(1);
    const b = await buyerWithHold(1);
    const key = randomUUID();

    const ra = await a.agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId: a.holdId, payment: card() });
    const rb = await b.agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId: b.holdId, payment: card() });

    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.body.id).not.toBe(ra.body.id);
    expect((await ordersOf(a.user.id)).map((o) => o.id)).toEqual([ra.body.id]);
    expect((await ordersOf(b.user.id)).map((o) => o.id)).toEqual([rb.body.id]);
  });

  it('when the Idempotency-Key header is missing or malformed, then it answers 400 and creates nothing', async () => {
    const { agent, user, holdId, seatIds } = await buyerWithHold(1);

    const missing = await agent.post('/api/v1/checkout').send({ holdId, payment: card() });
    const bad = await agent.post('/api/v1/checkout').set('Idempotency-Key', 'short').send({ holdId, payment: card() });

    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('idempotency_key_required');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(await ordersOf(user.id)).toHaveLength(0);
    expect((await seatRows(seatIds))[0].status).toBe('held');
  });

  it('when the body is invalid, then it answers 400 validation_failed and creates nothing', async () => {
    const { agent, user, holdId } = await buyerWithHold(1);

    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: { ...card(), cardNumber: 'abc' } });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(await ordersOf(user.id)).toHaveLength(0);
  });

  it('when the hold has expired, then it answers 410 hold_expired and charges nothing', async () => {
    const { agent, user, holdId } = await buyerWithHold(1, { expiresInSeconds: -5 });
    const before = await charges();

    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: card() });

    expect(res.status).toBe(410);
    expect(res.body.code).toBe('hold_expired');
    expect(await charges()).toBe(before);
    expect(await ordersOf(user.id)).toHaveLength(0);
  });

  it("when the hold is another user's, then it answers 404 and touches nothing", async () => {
    const owner = await buyerWithHold(1);
    const { agent: other, user } = await signedInAgent(ctx);

    const res = await other.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId: owner.holdId, payment: card() });

    expect(res.status).toBe(404);
    expect(await ordersOf(user.id)).toHaveLength(0);
    expect((await holdRow(owner.holdId)).status).toBe('active');
    expect((await holdRow(owner.holdId)).expires_at.getTime()).toBe(owner.expiresAt.getTime());
  });

  it('when the card is declined, then it answers 402, the order is failed, and the hold stays with its original expiry', async () => {
    const { agent, user, holdId, seatIds, expiresAt } = await buyerWithHold(2, { expiresInSeconds: 30 });
    const key = randomUUID();

    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card(TEST_CARDS.declined) });
    const again = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: card(TEST_CARDS.declined) });

    expect(res.status).toBe(402);
    expect(res.body.code).toBe('payment_declined');
    expect(again.status).toBe(402);
    const orders = await ordersOf(user.id);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'failed', failure_code: 'payment_declined' });
    const hold = await holdRow(holdId);
    expect(hold.status).toBe('active');
    expect(hold.expires_at.getTime()).toBe(expiresAt.getTime());
    const seats = await seatRows(seatIds);
    expect(seats.every((s) => s.status === 'held' && s.held_until.getTime() === expiresAt.getTime())).toBe(true);
  });

  it('when a declined buyer retries with a new key and a good card, then the same hold is bought', async () => {
    const { agent, holdId } = await buyerWithHold(1);
    await agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: card(TEST_CARDS.insufficientFunds) });

    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: card() });

    expect(res.status).toBe(201);
    expect(res.body.status).toBe('completed');
  });

  it('when the charge succeeds but the hold is gone before the sale, then the charge is refunded, no order completes and the fan sees the refunded order with its reason', async () => {
    const { agent, user, holdId, seatIds } = await buyerWithHold(2);
    const provider = ctx.services.paymentProvider;
    const refundsBefore = await provider.refundCount();
    provider.afterCharge = async () => {
      // The expiry worker (or an admin) ends the hold between the charge and the sale.
      await ctx.db.query(`UPDATE event_seats SET status = 'available', hold_id = NULL, holder_user_id = NULL, held_until = NULL WHERE hold_id = $1`, [holdId]);
      await ctx.db.query(`UPDATE holds SET status = 'expired', ended_at = now() WHERE id = $1`, [holdId]);
    };
    try {
      const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: card() });

      expect(res.status).toBe(410);
      expect(res.body.code).toBe('hold_expired');
    } finally {
      provider.afterCharge = null;
    }
    expect(await provider.refundCount()).toBe(refundsBefore + 1);
    const orders = await ordersOf(user.id);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'refunded', failure_code: 'hold_expired' });
    expect(await provider.isRefunded(orders[0].payment_id)).toBe(true);
    // The fan is told: the charged order is in their orders, refunded, with why.
    const seen = await agent.get(`/api/v1/orders/${orders[0].id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: 'refunded', statusReason: 'hold_expired', tickets: [] });
    const payment = (await ctx.db.query(`SELECT status FROM payments WHERE order_id = $1`, [orders[0].id])).rows[0];
    expect(payment.status).toBe('refunded');
    expect((await seatRows(seatIds)).every((s) => s.status === 'available')).toBe(true);
    expect((await ctx.db.query(`SELECT count(*)::int AS n FROM tickets WHERE order_id = $1`, [orders[0].id])).rows[0].n).toBe(0);
  });

  it('when two tabs check out one hold with different keys at once, then only one charge happens', async () => {
    const { agent, user, holdId } = await buyerWithHold(1);
    const before = await charges();

    const [a, b] = await Promise.all([
      agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: card() }),
      agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: card() }),
    ]);

    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(201);
    expect([409, 410]).toContain(statuses[1]);
    expect(await charges()).toBe(before + 1);
    expect((await ordersOf(user.id)).filter((o) => o.status === 'completed')).toHaveLength(1);
  });

  it('when checkouts succeed and fail, then /metrics shows seats sold, the checkout duration and failures by reason', async () => {
    const ok = await buyerWithHold(2);
    await ok.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId: ok.holdId, payment: card() });
    const declined = await buyerWithHold(1);
    await declined.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId: declined.holdId, payment: card(TEST_CARDS.declined) });

    const res = await ok.agent.get('/metrics');

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^seats_sold_total\{[^}]*\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^checkout_duration_seconds_count\{[^}]*outcome="completed"[^}]*\} [1-9]/m);
    expect(res.text).toMatch(/^checkout_failures_total\{[^}]*reason="payment_declined"[^}]*\} [1-9]/m);
    expect(res.text).toMatch(/^payment_charges_total\{[^}]*\} [1-9]/m);
    expect(res.text).toMatch(/^payment_breaker_state\{[^}]*\} 0$/m);
    expect(res.text).toMatch(/^http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/checkout"[^}]*\} [1-9]/m);
  });
});
