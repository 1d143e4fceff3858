import type pg from 'pg';
import type { Metrics } from '../../platform/metrics.js';
import type { Worker } from '../../platform/worker.js';
import { findOversells } from './sale-monitor.repo.js';
import { saleMonitorMetrics } from './sale-monitor.metrics.js';

/**
 * Counts invariant violations in PostgreSQL (seats sold twice, paid orders without seats, holds
 * charged twice) and publishes them as `oversell_detected` / `double_charge_detected`, which page
 * (ops/prometheus/alerts.yml). Read-only, so every instance may run it; the alert takes the max.
 */
export function oversellCheckWorker(deps: { db: pg.Pool; metrics: Metrics }, opts: { intervalMs?: number; lookBackDays?: number } = {}): Worker {
  const m = saleMonitorMetrics(deps.metrics.registry);
  return {
    name: 'oversell-check',
    intervalMs: opts.intervalMs ?? 60_000,
    run: async () => {
      const c = await findOversells(deps.db, opts.lookBackDays ?? 30);
      m.oversell.set({ kind: 'seat_sold_twice' }, c.seatsSoldTwice);
      m.oversell.set({ kind: 'order_without_seats' }, c.ordersWithoutSeats);
      m.doubleCharge.set(c.doubleCharges);
      m.lastCheck.set(Date.now() / 1000);
      return c;
    },
  };
}
