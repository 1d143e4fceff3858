import type { Metrics } from '../../platform/metrics.js';
import { counter, gauge, histogram } from '../../platform/metrics.js';

/** Waiting-room metrics, registered once per app registry. */
export function queueMetrics(m: Metrics) {
  const r = m.registry;
  return {
    queueLength: gauge(r, 'queue_length', 'Entries waiting in an event queue (as last seen by this instance\'s worker)', ['event_id']),
    activeShoppers: gauge(r, 'queue_active_shoppers', 'Admitted shoppers whose shopping window is open', ['event_id']),
    admissions: counter(r, 'queue_admissions_total', 'Waiting-room admissions made by this instance\'s worker', ['event_id']),
    passedOver: counter(r, 'queue_passed_over_total', 'Queue entries dropped because they stopped polling for longer than the grace period', ['event_id']),
    waitSeconds: histogram(r, 'queue_wait_seconds', 'Time from joining the queue to admission', [], [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200]),
    statusBatch: histogram(r, 'queue_status_batch_size', 'Status polls answered by one Redis script run (polls of an event in the same event-loop turn share one)', [], [1, 2, 4, 8, 16, 32, 64, 128]),
  };
}
export type QueueMetrics = ReturnType<typeof queueMetrics>;
