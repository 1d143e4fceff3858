import type { Registry } from 'prom-client';
import { gauge } from '../../platform/metrics.js';

/** Gauges set by the sale-monitor workers, declared once per registry. */
export function saleMonitorMetrics(registry: Registry) {
  return {
    oversell: gauge(registry, 'oversell_detected', 'Invariant violations found in PostgreSQL by the last oversell check, by kind (seat_sold_twice, order_without_seats); 0 when healthy', ['kind'] as const),
    doubleCharge: gauge(registry, 'double_charge_detected', 'Holds paid more than once, found by the last oversell check; 0 when healthy'),
    lastCheck: gauge(registry, 'oversell_check_last_success_timestamp_seconds', 'When the oversell check last completed (Unix seconds)'),
    eventSeats: gauge(registry, 'inventory_event_seats', 'Seats of each event on sale by state (available, held, sold), from PostgreSQL', ['event_id', 'status'] as const),
  };
}
export type SaleMonitorMetrics = ReturnType<typeof saleMonitorMetrics>;
