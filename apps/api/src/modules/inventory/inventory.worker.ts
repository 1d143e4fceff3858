import type { Worker } from '../../platform/worker.js';
import type { InventoryService } from './inventory.service.js';

/** Reconcile the snapshots of events this process changed every this many runs (~5 s)… */
const RECONCILE_EVERY = 5;
/** …and of every event with active holds every this many runs (~30 s). */
const SWEEP_EVERY = 30;

/**
 * Hold expiry (~1 s, jittered by startWorkers). Safe with every instance running it: expired
 * holds are claimed with FOR UPDATE SKIP LOCKED. Every few runs it also reconciles the Redis
 * availability snapshots against PostgreSQL: events this process changed (~5 s), and every
 * event with active holds (~30 s).
 */
export function holdExpiryWorker(inventory: InventoryService): Worker {
  let runs = 0;
  return {
    name: 'inventory.hold-expiry',
    intervalMs: 1_000,
    run: async () => {
      const expired = await inventory.expireDueHolds();
      runs++;
      if (runs % RECONCILE_EVERY === 0) await inventory.reconcileSnapshots(runs % SWEEP_EVERY === 0);
      return expired;
    },
  };
}
