import { Router } from 'express';
import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { adminVenueRoutes, venueRoutes } from './venues.routes.js';
import { VenuesService, type VenuesPorts } from './venues.service.js';

export type { VenuesPorts } from './venues.service.js';

/** Venues and their layout templates. Routes: /venues, /admin/venues. */
export function createVenuesModule(deps: AppDeps, ports: VenuesPorts): AppModule<VenuesService> {
  const service = new VenuesService(deps, ports);
  const routes = Router();
  routes.use('/venues', venueRoutes(service));
  routes.use('/admin/venues', adminVenueRoutes(service));
  return { service, routes: [routes] };
}
