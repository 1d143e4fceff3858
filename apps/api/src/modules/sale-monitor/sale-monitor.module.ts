import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { oversellCheckWorker } from './oversell-check.worker.js';
import { saleProgressWorker } from './sale-progress.worker.js';

/** The sale monitor: read-only workers that publish invariant checks and sale progress as metrics. No service, no routes. */
export function createSaleMonitorModule(deps: AppDeps): AppModule<null> {
  return { service: null, workers: [oversellCheckWorker(deps), saleProgressWorker(deps)] };
}
