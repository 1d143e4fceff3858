import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { InventoryService, type InventoryPorts } from './inventory.service.js';
import { inventoryPublicRoutes, inventoryRoutes } from './inventory.routes.js';
import { holdExpiryWorker } from './inventory.worker.js';

export type { InventoryPorts, SaleFacts, Shopper } from './inventory.service.js';

/**
 * The inventory module: seat map and availability (public routes, before the session), holds
 * and the availability stream (routes), hold expiry and snapshot reconcile (worker). Other
 * modules write its tables only through seat-ledger.ts, inside their transactions.
 */
export function createInventoryModule(deps: AppDeps, ports: InventoryPorts, opts: { clock?: () => number } = {}): AppModule<InventoryService> {
  const service = new InventoryService(deps, ports, opts.clock);
  return {
    service,
    publicRoutes: [inventoryPublicRoutes(service)],
    routes: [inventoryRoutes(service)],
    workers: [holdExpiryWorker(service)],
  };
}
