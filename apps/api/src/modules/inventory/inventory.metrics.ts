import type { Registry } from 'prom-client';
import { counter, histogram } from '../../platform/metrics.js';

/** The inventory's Prometheus metrics, declared once per registry. */
export function inventoryMetrics(registry: Registry) {
  return {
    seatsReserved: counter(registry, 'inventory_seats_reserved_total', 'Seats put on hold'),
    seatsReleased: counter(registry, 'inventory_seats_released_total', 'Seats freed by a release or a replaced hold', ['reason'] as const),
    seatsExpired: counter(registry, 'inventory_seats_expired_total', 'Seats freed because their hold expired'),
    lockAttempts: counter(registry, 'inventory_lock_attempts_total', 'Phase-1 Redis seat lock attempts by result', ['result'] as const),
    holdConflicts: counter(registry, 'inventory_hold_conflicts_total', 'Holds refused because a seat was taken, by phase', ['phase'] as const),
    holdSeconds: histogram(registry, 'inventory_hold_request_seconds', 'Time to take a hold (both phases), by result', ['result'] as const, [
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
    ]),
    holdLifetime: histogram(registry, 'inventory_hold_duration_seconds', 'How long a hold lived, by how it ended', ['ended'] as const, [
      1, 5, 15, 30, 60, 120, 300, 600, 900, 1800,
    ]),
    snapshotRebuilds: counter(registry, 'inventory_snapshot_rebuilds_total', 'Availability snapshots rebuilt or reconciled from PostgreSQL', ['kind'] as const),
    redisErrors: counter(registry, 'inventory_redis_errors_total', 'Redis operations of the inventory that failed', ['op'] as const),
  };
}
export type InventoryMetrics = ReturnType<typeof inventoryMetrics>;
