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

const orderRow = async (id: string) =>
  (await ctx.db.query(`SELECT status, failure_code, payment_id, refund_attempts, refund_next_attempt_at, refund_last_error FROM orders WHERE id = $1`, [id])).rows[0];

describe('owed refunds: logged, counted, retried with back-off, visible to admins', () => {
  it('when a refund fails, then the order stays refund_pending with attempts, next attempt and error, the metric counts it, admins see it, and a later due run refunds it once', async () => {
    const ev = await createTestEvent(ctx.db);
    const buyer = await signedInAgent(ctx);
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
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
    }
    try {
      const { id } = (await ctx.db.query(`SELECT id FROM orders WHERE user_id = $1`, [buyer.user.id])).rows[0];
      const owed = await orderRow(id);
      expect(owed).toMatchObject({ status: 'refund_pending', failure_code: 'hold_expired', refund_attempts: 1 });
      expect(owed.refund_next_attempt_at.getTime()).toBeGreaterThan(Date.now());
      expect(owed.refund_last_error).toMatch(/provider/);
      expect(await provider.isRefunded(owed.payment_id)).toBe(false);
      const metrics = await ctx.agent().get('/metrics');
      expect(metrics.text).toMatch(/refund_failures_total\{source="sale"[^}]*\} 1/);
      const list = await admin.get('/api/v1/admin/orders/refunds-pending');
      expect(list.status).toBe(200);
      expect(list.body.items).toContainEqual(expect.objectContaining({ orderId: id, attempts: 1, statusReason: 'hold_expired', lastError: expect.stringMatching(/provider/) }));
      expect((await buyer.agent.get('/api/v1/admin/orders/refunds-pending')).status).toBe(403);
      // The fan is told the refund is on its way.
      expect((await buyer.agent.get(`/api/v1/orders/${id}`)).body).toMatchObject({ status: 'refund_pending', statusReason: 'hold_expired' });

      // Not due yet: a run does not try it (the back-off holds across instances: it is in the row).
      await ctx.sibling().services.checkout.reconcile();
      expect((await orderRow(id)).refund_attempts).toBe(1);

      // Due, provider still down: a second failure, later next attempt.
      await ctx.db.query(`UPDATE orders SET refund_next_attempt_at = now() - interval '1 second' WHERE id = $1`, [id]);
      await ctx.services.checkout.reconcile();
      const twice = await orderRow(id);
      expect(twice).toMatchObject({ status: 'refund_pending', refund_attempts: 2 });
      expect(twice.refund_next_attempt_at.getTime()).toBeGreaterThan(Date.now());

      // Due, provider back: refunded once, gone from the admin list.
      provider.outage = false;
      const refundsBefore = await provider.refundCount();
      await ctx.db.query(`UPDATE orders SET refund_next_attempt_at = now() - interval '1 second' WHERE id = $1`, [id]);
      await Promise.all([ctx.services.checkout.reconcile(), ctx.sibling().services.checkout.reconcile()]);
      expect(await orderRow(id)).toMatchObject({ status: 'refunded', failure_code: 'hold_expired' });
      expect(await provider.isRefunded(owed.payment_id)).toBe(true);
      expect(await provider.refundCount()).toBe(refundsBefore + 1);
      expect((await ctx.db.query(`SELECT status FROM payments WHERE order_id = $1`, [id])).rows[0].status).toBe('refunded');
      expect((await admin.get('/api/v1/admin/orders/refunds-pending')).body.items.map((o: { orderId: string }) => o.orderId)).not.toContain(id);
    } finally {
      provider.outage = false;
    }
  });
});
