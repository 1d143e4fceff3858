import type { Services } from '../../app.js';
import type { Worker } from '../../platform/worker.js';

/** Admits the head of every waiting queue about once a second; every instance runs it (the Lua script makes that safe). */
export function queueAdmissionWorker(services: Services): Worker {
  return { name: 'queue-admission', intervalMs: 1_000, run: () => services.queue.admitTick() };
}
