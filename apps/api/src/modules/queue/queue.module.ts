import { Router } from 'express';
import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { eventStatsRoutes, queueSettingsRoutes } from './queue-admin.routes.js';
import { EventStatsService, type EventStatsPorts } from './queue-stats.service.js';
import { queueRoutes, queueStatusRoutes } from './queue.routes.js';
import { QueueService, type QueuePorts, type QueueTimes } from './queue.service.js';
import { queueAdmissionWorker } from './queue.worker.js';

export type { QueuePorts, QueueTimes, Shopper, Visitor } from './queue.service.js';
export type { EventStatsPorts } from './queue-stats.service.js';

/**
 * The waiting room. Needs the events module's facts (QueuePorts). Public route: the lean status
 * poll at /events/:eventId/queue (before bodies and sessions); routes: /events/:eventId/queue,
 * PUT /admin/events/:id/queue; worker: the admission tick.
 */
export function createQueueModule(deps: AppDeps, ports: QueuePorts, times: QueueTimes = {}): AppModule<QueueService> {
  const service = new QueueService(deps, ports, times);
  const publicRoutes = Router();
  publicRoutes.use('/events/:eventId/queue', queueStatusRoutes(service));
  const routes = Router();
  routes.use('/events/:eventId/queue', queueRoutes(service));
  routes.use('/admin/events', queueSettingsRoutes(service));
  return { service, publicRoutes: [publicRoutes], routes: [routes], workers: [queueAdmissionWorker(service)] };
}

/**
 * The operator's stats view of one event (GET /admin/events/:id/stats): the waiting room's
 * figures with the inventory's seat counts and the orders' revenue, so it is built after those.
 */
export function createEventStatsModule(ports: EventStatsPorts): AppModule<EventStatsService> {
  const service = new EventStatsService(ports);
  const routes = Router();
  routes.use('/admin/events', eventStatsRoutes(service));
  return { service, routes: [routes] };
}
