import type { Worker } from '../../workers.js';
import type { InventoryService } from './inventory.service.js';

/** Reconcile the snapshots of recently changed events every this many runs (~5 s). */
const RECONCILE_EVERY = 5;

/**
 * Hold expiry (~1 s, jittered by startWorkers). Safe with every instance running it: expired
 * holds are claimed with FOR UPDATE SKIP LOCKED. Every few runs it also reconciles the Redis
 * availability snapshots of events this process changed against PostgreSQL.
 */
export function holdExpiryWorker(inventory: InventoryService): Worker {
  let runs = 0;
  return {
    name: 'inventory.hold-expiry',
    intervalMs: 1_000,
    run: async () => {
      const expired = await inventory.expireDueHolds();
      if (++runs % RECONCILE_EVERY === 0) await inventory.snapshot.reconcileDirty();
      return expired;
    },
  };
}
