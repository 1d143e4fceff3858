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
import { healthRoutes } from './modules/health/health.routes.js';
import { createRateLimiters, type RateLimiters } from './platform/rate-limit.js';
import { AuthService } from './modules/auth/auth.service.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { QueueService } from './modules/queue/queue.service.js';
import type { InventoryService } from './modules/inventory/inventory.service.js';
import { createInventoryModule } from './modules/inventory/inventory.module.js';
import { queueRoutes, queueStatusRoutes } from './modules/queue/queue.routes.js';
import { queueAdminRoutes } from './modules/queue/queue-admin.routes.js';
import { EventsService } from './modules/events/events.service.js';
import { adminEventRoutes, eventRoutes } from './modules/events/events.routes.js';
import { VenuesService } from './modules/venues/venues.service.js';
import { adminVenueRoutes, venueRoutes } from './modules/venues/venues.routes.js';
import { openApiRoutes } from './modules/openapi/openapi.routes.js';
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
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Build the Express app (no listen). */
export function createApp(deps: AppDeps): App {
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
  const queue = new QueueService(deps);
  // Queue settings and high-demand flags are cached by the waiting room: refresh them on edits.
  const events = new EventsService(deps, { onChange: (id) => queue.invalidateEvent(id) });
  // Commerce modules, in dependency order; each gets typed ports (checked by the compiler).
  const inventory = createInventoryModule(deps, {
    queue: { assertAdmitted: (event, who) => queue.assertAdmitted(event, who) },
    events: { saleFacts: (eventId) => findEventSaleInfo(deps.db, eventId) },
  });
  const payments = createPaymentsModule(deps);
  const tickets = createTicketsModule(deps);
  const orders = createOrdersModule(deps, {
    payments: payments.service,
    inventory: inventory.service,
    events: { invalidate: (eventId) => events.invalidate(eventId) },
    queue: { invalidateEvent: (eventId) => queue.invalidateEvent(eventId) },
  });
  const checkout = createCheckoutModule(deps, {
    payments: payments.service,
    orders: orders.service,
    inventory: inventory.service,
    queue: { finishShopping: (eventId, who) => queue.finishShopping(eventId, who) },
    tickets: tickets.service.signer,
  });
  const services: Services = {
    auth: new AuthService(deps),
    queue,
    inventory: inventory.service,
    events,
    checkout: checkout.service,
    payments: payments.service,
    orders: orders.service,
    tickets: tickets.service,
    paymentProvider: payments.provider,
    // A venue's name and city feed event search and lists: drop cached event reads after a venue write.
    venues: new VenuesService(deps, { onChange: () => services.events.invalidate() }),
  };

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
  app.use(healthRoutes(deps));

  app.use(security);
  // One pipeline for every request (docs/adr/0007-one-request-pipeline.md). The per-IP API limit
  // runs for all of /api/v1 before anything reads a body or a session. The public reads every fan
  // polls (seat map, availability, the waiting-room poll with a valid poll cookie) need neither
  // a body nor a session: their routers sit before those, and fall through to the routes below
  // for anything they do not answer.
  app.use('/api/v1', limiters.api);
  app.use('/api/v1', inventory.publicRoutes ?? []);
  app.use('/api/v1/events/:eventId/queue', queueStatusRoutes(services.queue));
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
  api.use('/auth', authRoutes(services, limiters));
  api.use(inventory.routes ?? []);
  api.use('/events/:eventId/queue', queueRoutes(services));
  api.use('/admin/events', queueAdminRoutes(services));
  // Module routers are mounted here, one line each.
  // Commerce routers carry full paths (disjoint): checkout, orders + event cancel, tickets + check-in.
  for (const m of [checkout, orders, tickets]) api.use(m.routes ?? []);
  api.use(openApiRoutes());
  api.use('/events', eventRoutes(services));
  api.use('/venues', venueRoutes(services));
  api.use('/admin/events', adminEventRoutes(services));
  api.use('/admin/venues', adminVenueRoutes(services));

  app.use('/api/v1', api);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, services, limiters };
}
