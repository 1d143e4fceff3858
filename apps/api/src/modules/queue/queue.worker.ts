import type { Worker } from '../../platform/worker.js';

/** Admits the head of every waiting queue about once a second; every instance runs it (the Lua script makes that safe). */
export function queueAdmissionWorker(queue: { admitTick(): Promise<unknown> }): Worker {
  return { name: 'queue-admission', intervalMs: 1_000, run: () => queue.admitTick() };
}
