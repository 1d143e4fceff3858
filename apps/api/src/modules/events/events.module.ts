import { Router } from 'express';
import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { adminEventRoutes, eventRoutes } from './events.routes.js';
import { EventsService, type EventsServiceOptions } from './events.service.js';

export type { EventFacts, EventFactsPort } from './event-facts.js';
export { eventStatus, isOnSale } from './event-status.js';

/**
 * Events: discovery, admin writes and the sale facts (EventFactsPort) other modules read. It
 * needs nothing from another module. Routes: /events, /admin/events.
 */
export function createEventsModule(deps: AppDeps, opts: EventsServiceOptions = {}): AppModule<EventsService> {
  const service = new EventsService(deps, opts);
  const routes = Router();
  routes.use('/events', eventRoutes(service));
  routes.use('/admin/events', adminEventRoutes(service));
  return { service, routes: [routes] };
}
