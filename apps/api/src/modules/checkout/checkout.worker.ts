import type { Worker } from '../../platform/worker.js';
import type { CheckoutService } from './checkout.service.js';

/** Settles checkouts abandoned by a crashed process and retries owed refunds. Safe on every instance (SKIP LOCKED claims). */
export function checkoutReconcilerWorker(checkout: Pick<CheckoutService, 'reconcile'>, intervalMs = 10_000): Worker {
  return { name: 'checkout-reconciler', intervalMs, run: () => checkout.reconcile() };
}
