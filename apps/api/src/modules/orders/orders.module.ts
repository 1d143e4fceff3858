import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { adminEventCancelRoutes, ordersRoutes } from './orders.routes.js';
import { OrdersService, type OrdersPorts } from './orders.service.js';

export type { OrdersPorts } from './orders.service.js';

/** The orders module: the buyer's orders, refunds, event cancellation, refunds owed (admin). */
export function createOrdersModule(deps: AppDeps, ports: OrdersPorts): AppModule<OrdersService> {
  const service = new OrdersService(deps, ports);
  return { service, routes: [ordersRoutes(service), adminEventCancelRoutes(service)] };
}
