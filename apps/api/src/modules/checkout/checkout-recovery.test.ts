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

const SEATS = 2;

/**
 * The state a process leaves when it dies after reserving (and maybe charging) but before the
 * sale commits: a 'pending' order claiming the key, the hold pushed forward by the grace, and —
 * when charged — the charge at the provider under the order id. Nothing of the sale exists.
 */
async function crashedCheckout(opts: { charged: boolean }) {
  const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 5, priceCents: 3000 }] });
  const buyer = await signedInAgent(ctx);
  const seatIds = ev.seatIds.slice(0, SEATS);
  const { holdId, expiresAt } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: buyer.user.id, seatIds, expiresInSeconds: 300 });
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
  return { ...buyer, eventId: ev.eventId, holdId, expiresAt, key, body, orderId: order.id as string, paymentId, seatIds };
}

/** While the process was down, the hold expired and another fan held the same seats. */
async function seatsTakenByAnother(c: { eventId: string; holdId: string; seatIds: string[] }) {
  await ctx.db.query(`UPDATE event_seats SET status = 'available', hold_id = NULL, holder_user_id = NULL, held_until = NULL WHERE hold_id = $1`, [c.holdId]);
  await ctx.db.query(`UPDATE holds SET status = 'expired', ended_at = now() WHERE id = $1`, [c.holdId]);
  const other = await signedInAgent(ctx);
  const { holdId } = await createTestHold(ctx.db, { eventId: c.eventId, userId: other.user.id, seatIds: c.seatIds });
  return { userId: other.user.id, holdId };
}

const orderRow = async (id: string) =>
  (await ctx.db.query(`SELECT status, failure_code, payment_id, refund_attempts, refund_next_attempt_at, refund_last_error FROM orders WHERE id = $1`, [id])).rows[0];
const seatsOf = async (ids: string[]) => (await ctx.db.query(`SELECT id, status, order_id, hold_id FROM event_seats WHERE id = ANY($1::uuid[])`, [ids])).rows;
const liveTickets = async (orderId: string) => (await ctx.db.query(`SELECT seat_id FROM tickets WHERE order_id = $1 AND status = 'valid'`, [orderId])).rows;

describe('checkout recovery: completes before it refunds', () => {
  it('when a process died between charge and sale and the hold is still the buyer\'s, then recovery completes the order, issues the tickets and sells the seats; nothing is refunded', async () => {
    const c = await crashedCheckout({ charged: true });
    const provider = ctx.services.paymentProvider;
    const [charges, refunds] = [await provider.chargeCount(), await provider.refundCount()];

    const settled = await ctx.services.checkout.reconcile();

    expect(settled).toBeGreaterThanOrEqual(1);
    expect(await orderRow(c.orderId)).toMatchObject({ status: 'completed', failure_code: null, payment_id: c.paymentId });
    expect(await liveTickets(c.orderId)).toHaveLength(SEATS);
    expect((await seatsOf(c.seatIds)).every((s) => s.status === 'sold' && s.order_id === c.orderId)).toBe(true);
    expect((await ctx.db.query(`SELECT status FROM holds WHERE id = $1`, [c.holdId])).rows[0].status).toBe('converted');
    expect((await ctx.db.query(`SELECT status, provider_ref FROM payments WHERE order_id = $1`, [c.orderId])).rows[0]).toMatchObject({ status: 'succeeded', provider_ref: c.paymentId });
    expect(await provider.chargeCount()).toBe(charges);
    expect(await provider.refundCount()).toBe(refunds);
    // The fan sees a confirmed order; their retry with the same key answers it, without a new charge.
    const seen = await c.agent.get(`/api/v1/orders/${c.orderId}`);
    expect(seen.body).toMatchObject({ status: 'completed', statusReason: null });
    expect(seen.body.tickets).toHaveLength(SEATS);
    const replay = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(c.orderId);
    expect(await provider.chargeCount()).toBe(charges);
  });

  it('when a process died after charging and the seats were taken by someone else, then recovery refunds the charge and the fan sees a refunded order with its reason', async () => {
    const c = await crashedCheckout({ charged: true });
    const other = await seatsTakenByAnother(c);
    const refundsBefore = await ctx.services.paymentProvider.refundCount();

    await ctx.services.checkout.reconcile();

    expect(await ctx.services.paymentProvider.refundCount()).toBe(refundsBefore + 1);
    expect(await ctx.services.paymentProvider.isRefunded(c.paymentId!)).toBe(true);
    expect(await orderRow(c.orderId)).toMatchObject({ status: 'refunded', failure_code: 'hold_expired', payment_id: c.paymentId });
    expect((await ctx.db.query(`SELECT status FROM payments WHERE order_id = $1`, [c.orderId])).rows[0].status).toBe('refunded');
    expect(await liveTickets(c.orderId)).toHaveLength(0);
    // The other fan's hold is untouched.
    expect((await seatsOf(c.seatIds)).every((s) => s.status === 'held' && s.hold_id === other.holdId)).toBe(true);
    const seen = await c.agent.get(`/api/v1/orders/${c.orderId}`);
    expect(seen.body).toMatchObject({ status: 'refunded', statusReason: 'hold_expired', tickets: [] });
    const replay = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);
    expect(replay.status).toBe(410);
  });

  it('when a process died before charging, then recovery fails the order without any refund and gives the hold back its own expiry', async () => {
    const c = await crashedCheckout({ charged: false });
    const refundsBefore = await ctx.services.paymentProvider.refundCount();

    await ctx.services.checkout.reconcile();

    expect(await ctx.services.paymentProvider.refundCount()).toBe(refundsBefore);
    expect(await orderRow(c.orderId)).toMatchObject({ status: 'failed', failure_code: 'hold_expired' });
    const hold = (await ctx.db.query(`SELECT status, expires_at FROM holds WHERE id = $1`, [c.holdId])).rows[0];
    expect(hold.status).toBe('active');
    expect(hold.expires_at.getTime()).toBe(c.expiresAt.getTime());
  });

  it('when the buyer retries a stale pending checkout with the same key, then it resumes under the same order and the earlier charge is reused, not repeated', async () => {
    const c = await crashedCheckout({ charged: true });
    const chargesBefore = await ctx.services.paymentProvider.chargeCount();

    const res = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);

    expect(res.status).toBe(201);
    expect(res.body.id).toBe(c.orderId);
    expect(await ctx.services.paymentProvider.chargeCount()).toBe(chargesBefore);
    expect(await orderRow(c.orderId)).toMatchObject({ status: 'completed', payment_id: c.paymentId });
    expect((await seatsOf(c.seatIds)).every((s) => s.status === 'sold')).toBe(true);
  });

  it('when recovery runs on two instances at once while every buyer retries with the same key, then no seat is sold twice and nothing is charged or refunded twice', async () => {
    const kept = await Promise.all(Array.from({ length: 4 }, () => crashedCheckout({ charged: true })));
    const taken = await Promise.all(Array.from({ length: 4 }, () => crashedCheckout({ charged: true })));
    const others = await Promise.all(taken.map((c) => seatsTakenByAnother(c)));
    const provider = ctx.services.paymentProvider;
    const [charges, refunds] = [await provider.chargeCount(), await provider.refundCount()];
    const second = ctx.sibling();

    const answers = await Promise.all([
      ctx.services.checkout.reconcile(),
      second.services.checkout.reconcile(),
      ...[...kept, ...taken].map((c) => c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body)),
    ]);
    // Whatever a late retry met first (its own resume, or the recovery's claim), a second pass settles the rest.
    await ctx.services.checkout.reconcile();

    for (const c of kept) {
      expect(await orderRow(c.orderId)).toMatchObject({ status: 'completed', payment_id: c.paymentId });
      expect(await liveTickets(c.orderId)).toHaveLength(SEATS);
      expect((await seatsOf(c.seatIds)).every((s) => s.status === 'sold' && s.order_id === c.orderId)).toBe(true);
      expect(await provider.isRefunded(c.paymentId!)).toBe(false);
    }
    for (const [i, c] of taken.entries()) {
      expect(await orderRow(c.orderId)).toMatchObject({ status: 'refunded', failure_code: 'hold_expired' });
      expect(await provider.isRefunded(c.paymentId!)).toBe(true);
      expect(await liveTickets(c.orderId)).toHaveLength(0);
      expect((await seatsOf(c.seatIds)).every((s) => s.status === 'held' && s.hold_id === others[i]!.holdId)).toBe(true);
    }
    expect(await provider.chargeCount()).toBe(charges);
    expect(await provider.refundCount()).toBe(refunds + taken.length);
    // Every late retry answered its order (201) or the refund (410) — or, when recovery held the
    // order, 409 checkout_in_progress; once settled, the same key answers the outcome.
    const http = answers.slice(2) as { status: number; body: { id?: string } }[];
    http.slice(0, kept.length).forEach((r, i) => expect(r.status === 409 || (r.status === 201 && r.body.id === kept[i]!.orderId), `${r.status}`).toBe(true));
    http.slice(kept.length).forEach((r) => expect([409, 410]).toContain(r.status));
    const settledAnswers = await Promise.all([...kept, ...taken].map((c) => c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body)));
    expect(settledAnswers.map((r) => r.status)).toEqual([...kept.map(() => 201), ...taken.map(() => 410)]);
    expect(await provider.chargeCount()).toBe(charges);
    // Database-wide: no seat with two live tickets, no payment on two orders.
    const dupSeats = await ctx.db.query(`SELECT seat_id FROM tickets WHERE status <> 'void' GROUP BY seat_id HAVING count(*) > 1`);
    expect(dupSeats.rows).toHaveLength(0);
    const dupPayments = await ctx.db.query(`SELECT payment_id FROM orders WHERE payment_id IS NOT NULL GROUP BY payment_id HAVING count(*) > 1`);
    expect(dupPayments.rows).toHaveLength(0);
  });

  it('when a buyer retries while recovery holds the order, then the retry answers 409 checkout_in_progress at once, and after recovery the order it completed', async () => {
    const c = await crashedCheckout({ charged: true });
    // A reconciler claimed it and is settling it (a fresh claim).
    await ctx.db.query(`UPDATE orders SET status = 'reconciling', updated_at = now() WHERE id = $1`, [c.orderId]);
    const charges = await ctx.services.paymentProvider.chargeCount();

    const busy = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('checkout_in_progress');
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await orderRow(c.orderId)).toMatchObject({ status: 'reconciling' });

    // That reconciler died; its claim goes stale and the next run takes it over and completes it.
    await ctx.db.query(`UPDATE orders SET updated_at = now() - interval '10 minutes' WHERE id = $1`, [c.orderId]);
    await ctx.sibling().services.checkout.reconcile();
    const retry = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);

    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: c.orderId, status: 'completed' });
    expect(await liveTickets(c.orderId)).toHaveLength(SEATS);
    expect(await ctx.services.paymentProvider.chargeCount()).toBe(charges);
    expect(await ctx.services.paymentProvider.isRefunded(c.paymentId!)).toBe(false);
  });

  it('when a slow checkout reaches its sale after recovery completed its order, then it answers that order and refunds nothing', async () => {
    const ev = await createTestEvent(ctx.db);
    const buyer = await signedInAgent(ctx);
    const { holdId } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: buyer.user.id, seatIds: ev.seatIds.slice(0, 2) });
    const provider = ctx.services.paymentProvider;
    provider.afterCharge = async (req) => {
      // The process stalls past the stale window between charge and sale; recovery takes over.
      await ctx.db.query(`UPDATE orders SET updated_at = now() - interval '10 minutes' WHERE id = $1`, [req.idempotencyKey]);
      await ctx.sibling().services.checkout.reconcile();
    };
    const refunds = await provider.refundCount();
    let res;
    try {
      res = await buyer.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: testCard() });
    } finally {
      provider.afterCharge = null;
    }

    expect(res.status).toBe(201);
    expect(res.body.status).toBe('completed');
    expect(await orderRow(res.body.id)).toMatchObject({ status: 'completed' });
    expect(await liveTickets(res.body.id)).toHaveLength(2);
    expect(await provider.refundCount()).toBe(refunds);
  });

  it('when the sale meets a database fault after the charge, then nothing is refunded, the answer is 503, and recovery completes the order later', async () => {
    const ev = await createTestEvent(ctx.db);
    const buyer = await signedInAgent(ctx);
    const { holdId } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: buyer.user.id, seatIds: ev.seatIds.slice(0, 2) });
    const provider = ctx.services.paymentProvider;
    const refunds = await provider.refundCount();
    // A fault inside the sale transaction (as a lost connection or a full disk would raise).
    await ctx.db.query(`CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated fault'; END $$`);
    await ctx.db.query(`CREATE TRIGGER test_fault BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION test_fault()`);
    let res;
    try {
      res = await buyer.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: testCard() });
    } finally {
      await ctx.db.query(`DROP TRIGGER test_fault ON tickets; DROP FUNCTION test_fault()`);
    }

    expect(res.status).toBe(503);
    expect(res.body.code).toBe('service_unavailable');
    expect(res.headers['retry-after']).toBeDefined();
    const { id } = (await ctx.db.query(`SELECT id FROM orders WHERE user_id = $1`, [buyer.user.id])).rows[0];
    expect(await orderRow(id)).toMatchObject({ status: 'pending' });
    expect(await provider.refundCount()).toBe(refunds);

    await ctx.db.query(`UPDATE orders SET updated_at = now() - interval '10 minutes' WHERE id = $1`, [id]);
    await ctx.services.checkout.reconcile();

    expect(await orderRow(id)).toMatchObject({ status: 'completed' });
    expect(await liveTickets(id)).toHaveLength(2);
    expect(await provider.refundCount()).toBe(refunds);
  });

  it('when a timed-out charge went through late, the buyer never retried and the hold is gone, then recovery refunds it after the settle window', async () => {
    const c = await crashedCheckout({ charged: true });
    await ctx.db.query(`UPDATE orders SET status = 'failed', failure_code = 'payment_unavailable', updated_at = now() - interval '20 minutes' WHERE id = $1`, [c.orderId]);
    await seatsTakenByAnother(c);

    await ctx.services.checkout.reconcile();

    expect(await ctx.services.paymentProvider.isRefunded(c.paymentId!)).toBe(true);
    expect(await orderRow(c.orderId)).toMatchObject({ status: 'refunded', failure_code: 'hold_expired', payment_id: c.paymentId });
    const replay = await c.agent.post('/api/v1/checkout').set('Idempotency-Key', c.key).send(c.body);
    expect(replay.status).toBe(410);
  });

  it('when a timed-out charge went through late and the hold is still the buyer\'s, then recovery completes it', async () => {
    const c = await crashedCheckout({ charged: true });
    await ctx.db.query(`UPDATE orders SET status = 'failed', failure_code = 'payment_unavailable', updated_at = now() - interval '20 minutes' WHERE id = $1`, [c.orderId]);

    await ctx.services.checkout.reconcile();

    expect(await orderRow(c.orderId)).toMatchObject({ status: 'completed', failure_code: null, payment_id: c.paymentId });
    expect(await liveTickets(c.orderId)).toHaveLength(SEATS);
    expect(await ctx.services.paymentProvider.isRefunded(c.paymentId!)).toBe(false);
  });
});
