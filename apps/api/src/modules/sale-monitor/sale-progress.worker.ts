import type pg from 'pg';
import type { Metrics } from '../../platform/metrics.js';
import type { Worker } from '../../platform/worker.js';
import { countSeatsOnSale } from './sale-monitor.repo.js';
import { saleMonitorMetrics } from './sale-monitor.metrics.js';

/**
 * Publishes `inventory_event_seats{event_id, status}` for the events on sale now, from
 * PostgreSQL: the dashboard's "minutes to sell-out" divides the unsold seats by the rate the sold
 * count grows. Events that leave the sale drop out of the gauge.
 */
export function saleProgressWorker(deps: { db: pg.Pool; metrics: Metrics }, intervalMs = 30_000): Worker {
  const m = saleMonitorMetrics(deps.metrics.registry);
  return {
    name: 'sale-progress',
    intervalMs,
    run: async () => {
      const counts = await countSeatsOnSale(deps.db);
      m.eventSeats.reset();
      for (const c of counts) m.eventSeats.set({ event_id: c.eventId, status: c.status }, c.seats);
      return counts.length;
    },
  };
}
