import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { ORDER_STATUSES, ORDER_TRANSITIONS, canTransition, type OrderState } from './order-states.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

/** Columns an order needs to satisfy the CHECKs of `status` (payment for charged states, a reason for failed, a schedule for refund_pending). */
function columnsFor(status: OrderState) {
  const charged = ['completed', 'refund_pending', 'refunded', 'cancelled'].includes(status);
  return {
    payment_id: charged ? `pay_${Math.random().toString(16).slice(2)}` : null,
    failure_code: status === 'failed' ? 'payment_unavailable' : status === 'refund_pending' ? 'hold_expired' : null,
    refund_next_attempt_at: status === 'refund_pending' ? new Date() : null,
  };
}

describe('order state machine', () => {
  it('when every pair of statuses is tried in the database, then exactly the transitions of the table are allowed', async () => {
    const ev = await createTestEvent(ctx.db);
    const { user } = await signedInAgent(ctx);
    const outcomes: string[] = [];
    const expected: string[] = [];
    let n = 0;
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const c = columnsFor(from);
        const { id } = (
          await ctx.db.query(
            `INSERT INTO orders (user_id, event_id, idempotency_key, request_hash, status, total_cents, currency, payment_id, failure_code, refund_next_attempt_at)
             VALUES ($1, $2, $3, 'h', $4, 100, 'EUR', $5, $6, $7) RETURNING id`,
            [user.id, ev.eventId, `walk-key-${n++}`, from, c.payment_id, c.failure_code, c.refund_next_attempt_at],
          )
        ).rows[0];
        const t = columnsFor(to);
        const ok = await ctx.db
          .query(
            `UPDATE orders SET status = $2, payment_id = COALESCE(payment_id, $3), failure_code = $4, refund_next_attempt_at = COALESCE(refund_next_attempt_at, $5) WHERE id = $1`,
            [id, to, t.payment_id, t.failure_code, t.refund_next_attempt_at],
          )
          .then(
            () => true,
            (err: { hint?: string; message: string }) => {
              // Only the transition trigger may refuse here; any other error is a broken test.
              if (err.hint !== 'order_transition') throw err;
              return false;
            },
          );
        if (ok) outcomes.push(`${from}->${to}`);
        if (canTransition(from, to)) expected.push(`${from}->${to}`);
      }
    }
    expect(outcomes).toEqual(expected);
    // The table is not vacuous: every edge it lists was walked and allowed.
    const edges = Object.entries(ORDER_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`));
    expect(edges.length).toBe(11);
    for (const e of edges) expect(outcomes).toContain(e);
  });

  it('when code tries a disallowed transition (a refunded order completed again), then the database refuses it and the row is unchanged', async () => {
    const ev = await createTestEvent(ctx.db);
    const { user } = await signedInAgent(ctx);
    const { id } = (
      await ctx.db.query(
        `INSERT INTO orders (user_id, event_id, idempotency_key, request_hash, status, total_cents, currency, payment_id, failure_code)
         VALUES ($1, $2, 'refused-key-1', 'h', 'refunded', 100, 'EUR', 'pay_x', 'hold_expired') RETURNING id`,
        [user.id, ev.eventId],
      )
    ).rows[0];

    const err = await ctx.db.query(`UPDATE orders SET status = 'completed', failure_code = NULL WHERE id = $1`, [id]).catch((e) => e);

    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/no transition from refunded to completed/);
    expect((await ctx.db.query(`SELECT status FROM orders WHERE id = $1`, [id])).rows[0].status).toBe('refunded');
  });

  it('when a status outside the set is written, then the CHECK refuses it', async () => {
    const ev = await createTestEvent(ctx.db);
    const { user } = await signedInAgent(ctx);
    const err = await ctx.db
      .query(`INSERT INTO orders (user_id, event_id, idempotency_key, request_hash, status, total_cents, currency) VALUES ($1, $2, 'bad-status-1', 'h', 'shipped', 1, 'EUR')`, [
        user.id,
        ev.eventId,
      ])
      .catch((e) => e);
    expect(err.code).toBe('23514');
  });
});
