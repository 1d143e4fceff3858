import express, { type Express } from 'express';
import helmet from 'helmet';
import session from 'express-session';
import RedisStore from 'connect-redis';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from './platform/deps.js';
import { requestContext } from './platform/logger.js';
import { errorHandler, notFoundHandler, utf8Only } from './platform/http.js';
import { accessLog } from './platform/access-log.js';
import { metricsMiddleware } from './platform/metrics.js';
import { csrfGuard } from './platform/security.js';
import type { AppModule } from './platform/module.js';
import type { Worker } from './platform/worker.js';
import { createRateLimiters, type RateLimiters } from './platform/rate-limit.js';
import { createHealthModule } from './modules/health/health.module.js';
import { createEventsModule } from './modules/events/events.module.js';
import type { EventsService, EventsServiceOptions } from './modules/events/events.service.js';
import { createVenuesModule } from './modules/venues/venues.module.js';
import type { VenuesService } from './modules/venues/venues.service.js';
import { createEventStatsModule, createQueueModule } from './modules/queue/queue.module.js';
import type { QueueService, QueueTimes } from './modules/queue/queue.service.js';
import { createAuthModule } from './modules/auth/auth.module.js';
import type { AuthService } from './modules/auth/auth.service.js';
import { createOpenApiModule } from './modules/openapi/openapi.module.js';
import type { InventoryService } from './modules/inventory/inventory.service.js';
import { createInventoryModule } from './modules/inventory/inventory.module.js';
import { findEventSaleInfo } from './modules/events/event-sale.repo.js';
import { createPaymentsModule } from './modules/payments/payments.module.js';
import type { PaymentsService } from './modules/payments/payments.service.js';
import type { SimulatedPaymentProvider } from './modules/payments/simulated-provider.js';
import { createTicketsModule } from './modules/tickets/tickets.module.js';
import type { TicketsService } from './modules/tickets/tickets.service.js';
import { createOrdersModule } from './modules/orders/orders.module.js';
import type { OrdersService } from './modules/orders/orders.service.js';
import { createCheckoutModule } from './modules/checkout/checkout.module.js';
import type { CheckoutService } from './modules/checkout/checkout.service.js';
import { createSaleMonitorModule } from './modules/sale-monitor/sale-monitor.module.js';

export type { AppDeps } from './platform/deps.js';

/** The services of every module, built once per app and shared by routes and workers. */
export interface Services {
  auth: AuthService;
  queue: QueueService;
  /** Seat map, availability snapshot, holds; others call applySeatChanges / releaseLocks / salesCounts after their commit. */
  inventory: InventoryService;
  events: EventsService;
  venues: VenuesService;
  checkout: CheckoutService;
  /** The payment provider behind a timeout and a circuit breaker. */
  payments: PaymentsService;
  orders: OrdersService;
  tickets: TicketsService;
  /** The simulated payment provider (tests script it and count its charges). */
  paymentProvider: SimulatedPaymentProvider;
}

export interface App {
  app: Express;
  services: Services;
  limiters: RateLimiters;
  /** Every module's periodic jobs; main.ts schedules them with startWorkers (workers.ts). */
  workers: Worker[];
}

/** Lifetimes and clocks of the modules (tests shorten them or move a clock by hand); defaults come from the env. */
export interface AppOptions {
  events?: EventsServiceOptions;
  queue?: QueueTimes;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The composition root: build every module in dependency order, handing each the ports it
 * declares from modules built before it (docs/adr/0045-composition-root-and-module-ports.md),
 * then mount their routers and collect their workers. Builds the Express app (no listen).
 */
export function createApp(deps: AppDeps, options: AppOptions = {}): App {
  const { env, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUST_PROXY);
  app.set('etag', 'strong');

  const security = helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  const limiters = createRateLimiters(deps);
  // Modules in dependency order; each line names what a module gets from the ones above it.
  const health = createHealthModule(deps);
  const events = createEventsModule(deps, options.events);
  const venues = createVenuesModule(deps, { eventReads: events.service });
  const queue = createQueueModule(deps, { events: events.service }, options.queue);
  const auth = createAuthModule(deps, { waitingRoom: queue.service }, limiters);
  const openapi = createOpenApiModule();
  const inventory = createInventoryModule(deps, {
    queue: { assertAdmitted: (event, who) => queue.service.assertAdmitted(event, who) },
    events: { saleFacts: (eventId) => findEventSaleInfo(deps.db, eventId) },
  });
  const payments = createPaymentsModule(deps);
  const tickets = createTicketsModule(deps);
  const orders = createOrdersModule(deps, {
    payments: payments.service,
    inventory: inventory.service,
    events: { invalidate: (eventId) => events.service.invalidate(eventId) },
  });
  const checkout = createCheckoutModule(deps, {
    payments: payments.service,
    orders: orders.service,
    inventory: inventory.service,
    queue: { finishShopping: (eventId, who) => queue.service.finishShopping(eventId, who) },
    tickets: tickets.service.signer,
  });
  const saleMonitor = createSaleMonitorModule(deps);
  const stats = createEventStatsModule({ waitingRoom: queue.service, seats: inventory.service, revenue: orders.service });
  const services: Services = {
    auth: auth.service,
    queue: queue.service,
    inventory: inventory.service,
    events: events.service,
    venues: venues.service,
    checkout: checkout.service,
    payments: payments.service,
    orders: orders.service,
    tickets: tickets.service,
    paymentProvider: payments.provider,
  };
  const modules: AppModule<unknown>[] = [events, venues, queue, auth, openapi, inventory, payments, tickets, orders, checkout, saleMonitor, stats];
  const workers = modules.flatMap((m) => m.workers ?? []);

  // Request id: accept a sane incoming X-Request-Id, else mint one; echo it back; carry it in logs.
  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    (req as { id?: string }).id = requestId;
    requestContext.run({ requestId }, next);
  });
  app.use(accessLog(logger, new Set(['/health', '/ready', '/metrics'])));
  app.use(metricsMiddleware(deps.metrics));
  for (const r of health.rootRoutes) app.use(r);

  app.use(security);
  // One pipeline for every request (docs/adr/0007-one-request-pipeline.md). The per-IP API limit
  // runs for all of /api/v1 before anything reads a body or a session. The public reads every fan
  // polls (seat map, availability, the waiting-room poll with a valid poll cookie) need neither
  // a body nor a session: their routers sit before those, and fall through to the routes below
  // for anything they do not answer.
  app.use('/api/v1', limiters.api);
  for (const r of inventory.publicRoutes ?? []) app.use('/api/v1', r);
  for (const r of queue.publicRoutes ?? []) app.use('/api/v1', r);
  // A stadium layout (tens of thousands of seats) is far larger than any other body.
  app.use('/api/v1/admin/venues', express.json({ limit: '8mb', type: ['application/json', 'application/*+json'], verify: utf8Only }));
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'], verify: utf8Only }));
  app.use(
    session({
      name: 'tk.sid',
      store: new RedisStore({ client: deps.redis, prefix: 'sess:', ttl: env.SESSION_TTL_SECONDS, disableTouch: true }),
      secret: env.SESSION_SECRET,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: env.COOKIE_SECURE, maxAge: env.SESSION_TTL_SECONDS * 1000 },
    }),
  );
  app.use(csrfGuard(env.ALLOWED_ORIGINS));

  const api = express.Router();
  const mount = (m: AppModule<unknown>) => m.routes?.forEach((r) => api.use(r));
  mount(auth);
  mount(inventory);
  mount(queue);
  mount(stats);
  // Commerce routers carry full paths (disjoint): checkout, orders + event cancel, tickets + check-in.
  mount(checkout);
  mount(orders);
  mount(tickets);
  mount(openapi);
  mount(events);
  mount(venues);

  app.use('/api/v1', api);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, services, limiters, workers };
}
