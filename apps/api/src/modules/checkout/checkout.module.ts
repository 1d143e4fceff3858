import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { CheckoutRecovery } from './checkout-recovery.js';
import { CheckoutSale } from './checkout-sale.js';
import type { CheckoutPorts } from './checkout.ports.js';
import { checkoutRoutes } from './checkout.routes.js';
import { CheckoutService } from './checkout.service.js';
import { checkoutReconcilerWorker } from './checkout.worker.js';
import { OwedRefunds } from './owed-refunds.js';

export type { CheckoutPorts } from './checkout.ports.js';

/** The checkout module: POST /checkout (exactly once per Idempotency-Key), recovery and owed refunds (worker). */
export function createCheckoutModule(deps: AppDeps, ports: CheckoutPorts): AppModule<CheckoutService> {
  const refunds = new OwedRefunds(deps, ports.payments);
  const sale = new CheckoutSale(deps, ports, refunds);
  const recovery = new CheckoutRecovery(deps, ports, sale, refunds);
  const service = new CheckoutService(deps, ports, sale, recovery);
  return { service, routes: [checkoutRoutes(service)], workers: [checkoutReconcilerWorker(service)] };
}
