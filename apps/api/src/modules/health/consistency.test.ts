import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/context.js';
import { createTestEvent, createTestHold } from '../../../test/factories.js';
import { purchase } from '../checkout/test-purchase.js';
import { signedInAgent } from '../../../test/context.js';
import { checkConsistency } from './consistency.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '1' });
});
afterAll(() => ctx.close());

describe('the consistency check (consistency.sql)', () => {
  it('when sales, holds and payments are as checkout leaves them, then it finds no violation', async () => {
    await purchase(ctx, { seats: 2 });
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 4, priceCents: 1000 }] });
    const { user } = await signedInAgent(ctx);
    await createTestHold(ctx.db, { eventId: ev.eventId, userId: user.id, seatIds: ev.seatIds.slice(0, 2) });

    const report = await checkConsistency(ctx.db, { holdGraceSeconds: 10 });

    expect(report.violations).toEqual({});
  });

  it('when a seat is sold to an order that never completed and a hold outlived its expiry, then it names both', async () => {
    // Arrange: states the application never writes, made by hand, in a database of their own.
    const own = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '1' });
    try {
      const bought = await purchase(own, { seats: 1 });
      // The order-transition trigger refuses completed → failed: switch triggers off for this one write.
      const c = await own.db.connect();
      try {
        await c.query('BEGIN');
        await c.query('SET LOCAL session_replication_role = replica');
        await c.query(`UPDATE orders SET status = 'failed', failure_code = 'hold_expired' WHERE id = $1`, [bought.order.id]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      const ev = await createTestEvent(own.db, { sections: [{ rows: 1, seatsPerRow: 4, priceCents: 1000 }] });
      const { user } = await signedInAgent(own);
      const { holdId } = await createTestHold(own.db, { eventId: ev.eventId, userId: user.id, seatIds: ev.seatIds.slice(0, 1), expiresInSeconds: -60 });

      // Act
      const report = await checkConsistency(own.db, { holdGraceSeconds: 10 });

      // Assert
      expect(report.violations.sold_seat_without_completed_order).toBe(1);
      expect(report.violations.hold_outlived_expiry).toBe(1);
      expect(report.samples.hold_outlived_expiry).toEqual([holdId]);
      expect(report.violations.succeeded_payment_without_order_or_refund).toBeUndefined();
      expect(report.unsettled.succeeded_payment_unsettled).toBe(1);
    } finally {
      await own.close();
    }
  });
});
