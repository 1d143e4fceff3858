import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent, createTestHold } from '../../../test/factories.js';
import { createRedis } from '../../platform/redis.js';
import { createMetrics, observePools, observeRedis } from '../../platform/metrics.js';
import { oversellCheckWorker } from './oversell-check.worker.js';
import { saleProgressWorker } from './sale-progress.worker.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

/** Sell `seatIds` to `userId` as checkout leaves it: completed order, succeeded payment, tickets, seats sold. */
async function sell(eventId: string, userId: string, seatIds: string[]): Promise<{ orderId: string; holdId: string }> {
  const { holdId } = await createTestHold(ctx.db, { eventId, userId, seatIds });
  const orderId = randomUUID();
  await ctx.db.query(
    `INSERT INTO orders (id, user_id, event_id, hold_id, idempotency_key, request_hash, status, total_cents, currency, payment_id)
     VALUES ($1, $2, $3, $4, $5, 'h', 'completed', 1000, 'EUR', $6)`,
    [orderId, userId, eventId, holdId, `key-${orderId}`, `pay-${orderId}`],
  );
  await ctx.db.query(`INSERT INTO payments (order_id, provider, provider_ref, amount_cents, currency, status) VALUES ($1, 'sim', $2, 1000, 'EUR', 'succeeded')`, [orderId, `pay-${orderId}`]);
  await ctx.db.query(
    `UPDATE event_seats SET status = 'sold', order_id = $1, hold_id = NULL, holder_user_id = NULL, held_until = NULL WHERE id = ANY($2::uuid[])`,
    [orderId, seatIds],
  );
  await ctx.db.query(`INSERT INTO tickets (order_id, event_id, seat_id, code) SELECT $1, $2, s, 'code-' || s FROM unnest($3::uuid[]) AS s`, [orderId, eventId, seatIds]);
  await ctx.db.query(`UPDATE holds SET status = 'converted', ended_at = now() WHERE id = $1`, [holdId]);
  return { orderId, holdId };
}

async function metricValues(metrics: ReturnType<typeof createMetrics>, name: string): Promise<{ labels: Record<string, string | number>; value: number }[]> {
  const m = metrics.registry.getSingleMetric(name);
  if (!m) return [];
  return (await m.get()).values.map((v) => ({ labels: v.labels as Record<string, string | number>, value: v.value }));
}

describe('oversell check', () => {
  it('when every sale is consistent, then it reports zero; when a seat, an order or a charge breaks the invariant, then it counts each', async () => {
    const metrics = createMetrics('t');
    const worker = oversellCheckWorker({ db: ctx.db, metrics });
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 6 }] });
    const { user } = await signedInAgent(ctx);
    const a = await sell(ev.eventId, user.id, [ev.seatIds[0]!, ev.seatIds[1]!]);
    await sell(ev.eventId, user.id, [ev.seatIds[2]!, ev.seatIds[3]!]);

    await expect(worker.run()).resolves.toEqual({ seatsSoldTwice: 0, ordersWithoutSeats: 0, doubleCharges: 0 });
    expect(await metricValues(metrics, 'oversell_detected')).toEqual(
      expect.arrayContaining([
        { labels: { kind: 'seat_sold_twice' }, value: 0 },
        { labels: { kind: 'order_without_seats' }, value: 0 },
      ]),
    );

    // A seat whose live ticket belongs to an order that no longer owns it (put back on sale).
    await ctx.db.query(`UPDATE event_seats SET status = 'available', order_id = NULL WHERE id = $1`, [ev.seatIds[2]]);
    // A completed order without any seat.
    const orphan = await ctx.db.query<{ id: string }>(
      `INSERT INTO orders (user_id, event_id, idempotency_key, request_hash, status, total_cents, currency, payment_id)
       VALUES ($1, $2, 'orphan-key-1', 'h', 'completed', 1000, 'EUR', 'pay-orphan') RETURNING id`,
      [user.id, ev.eventId],
    );
    expect(orphan.rows).toHaveLength(1);
    // The first order's hold paid a second time by another (failed) order.
    const second = await ctx.db.query<{ id: string }>(
      `INSERT INTO orders (user_id, event_id, hold_id, idempotency_key, request_hash, status, failure_code, total_cents, currency)
       VALUES ($1, $2, $3, 'second-key-1', 'h', 'failed', 'payment_unavailable', 1000, 'EUR') RETURNING id`,
      [user.id, ev.eventId, a.holdId],
    );
    await ctx.db.query(`INSERT INTO payments (order_id, provider, provider_ref, amount_cents, currency, status) VALUES ($1, 'sim', 'pay-2', 1000, 'EUR', 'succeeded')`, [second.rows[0]!.id]);

    await expect(worker.run()).resolves.toEqual({ seatsSoldTwice: 1, ordersWithoutSeats: 1, doubleCharges: 1 });
    expect(await metricValues(metrics, 'oversell_detected')).toEqual(
      expect.arrayContaining([
        { labels: { kind: 'seat_sold_twice' }, value: 1 },
        { labels: { kind: 'order_without_seats' }, value: 1 },
      ]),
    );
    expect(await metricValues(metrics, 'double_charge_detected')).toEqual([{ labels: {}, value: 1 }]);
    const [last] = await metricValues(metrics, 'oversell_check_last_success_timestamp_seconds');
    expect(Math.abs(last!.value - Date.now() / 1000)).toBeLessThan(60);
  });
});

describe('sale progress', () => {
  it('when events are on sale, then their seats by state are published, and an event that is not on sale is not', async () => {
    const metrics = createMetrics('t');
    const onSale = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 5 }], onSaleAt: new Date(Date.now() - 60_000) });
    const later = await createTestEvent(ctx.db, { onSaleAt: new Date(Date.now() + 86_400_000), startsAt: new Date(Date.now() + 2 * 86_400_000) });
    const { user } = await signedInAgent(ctx);
    await sell(onSale.eventId, user.id, [onSale.seatIds[0]!, onSale.seatIds[1]!]);
    await createTestHold(ctx.db, { eventId: onSale.eventId, userId: user.id, seatIds: [onSale.seatIds[4]!] });

    await saleProgressWorker({ db: ctx.db, metrics }).run();

    const values = await metricValues(metrics, 'inventory_event_seats');
    const of = (eventId: string) => Object.fromEntries(values.filter((v) => v.labels.event_id === eventId).map((v) => [v.labels.status, v.value]));
    expect(of(onSale.eventId)).toEqual({ available: 2, held: 1, sold: 2 });
    expect(of(later.eventId)).toEqual({});
  });
});

describe('pool and Redis gauges', () => {
  it('when scraped, then each pool reports its total, idle, waiting and max clients', async () => {
    const metrics = createMetrics('t');
    observePools(metrics, { main: ctx.db });
    const client = await ctx.db.connect();
    try {
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/^db_pool_clients\{pool="main",state="total",instance="t"\} [1-9]\d*$/m);
      expect(text).toMatch(/^db_pool_clients\{pool="main",state="idle",instance="t"\} \d+$/m);
      expect(text).toMatch(/^db_pool_clients\{pool="main",state="waiting",instance="t"\} 0$/m);
      expect(text).toMatch(/^db_pool_max_clients\{pool="main",instance="t"\} 10$/m);
    } finally {
      client.release();
    }
  });

  it('when a Redis connection fails, then redis_connection_errors_total counts it and redis_connected is 0', async () => {
    const metrics = createMetrics('t');
    // Nothing listens on this port (the range reserved for this suite's own servers).
    const broken = createRedis('redis://127.0.0.1:26379', 'tkt:none:', { lazy: true });
    observeRedis(metrics, { main: ctx.redis, broken });
    try {
      broken.connect().catch(() => {});
      const deadline = Date.now() + 5_000;
      let errors = 0;
      while (Date.now() < deadline) {
        errors = (await metricValues(metrics, 'redis_connection_errors_total')).find((v) => v.labels.client === 'broken')?.value ?? 0;
        if (errors > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(errors).toBeGreaterThan(0);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/^redis_connected\{client="broken",instance="t"\} 0$/m);
      expect(text).toMatch(/^redis_connected\{client="main",instance="t"\} 1$/m);
      expect(text).toMatch(/^redis_connection_errors_total\{client="main",instance="t"\} 0$/m);
    } finally {
      broken.disconnect();
    }
  });
});
