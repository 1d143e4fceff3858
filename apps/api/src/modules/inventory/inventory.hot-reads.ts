import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Metrics } from '../../platform/metrics.js';
import type { InventoryService } from './inventory.service.js';
import { layoutEtag } from './seatmap-cache.js';

/**
 * The hot public reads — `GET /api/v1/events/:eventId/availability` and `/seatmap` — answered
 * BEFORE the general middleware stack (mounted first in app.ts). They need no session, body,
 * CSRF check or per-request access log, and on this machine that stack cost more CPU than the
 * read itself (express-session mints a random session id for every cookie-less request, the access log,
 * AsyncLocalStorage, a dozen router layers; pino-http, since replaced, built child loggers).
 *
 * What they still get: the request id (incoming `X-Request-Id` if sane, else a new one), the same
 * security headers (computed once from the app's own helmet instance), the app's per-IP API rate
 * limit, and the `http_request_duration_seconds` metric under the same route labels. No access
 * log line (errors are logged by the normal path).
 *
 * Only the ready answers are served here (200 with the prebuilt bytes, 304). Anything else — an
 * unknown event, an event without seats, a Redis/PostgreSQL error, a query string, an odd URL —
 * falls through to the normal routes, which give the full answer (404 problem+json, logging, …).
 */
export interface HotReadOptions {
  metrics: Metrics;
  /** The app's helmet middleware: its headers are captured once and replayed. */
  security: RequestHandler;
  /** The app's per-IP API limiter (a pass-through when RATE_LIMITS=off). */
  rateLimit: RequestHandler;
  /** True when the limiter is a pass-through: skip calling it. */
  rateLimitOff: boolean;
}

const HOT_URL = /^\/api\/v1\/events\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(availability|seatmap)$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const AVAILABILITY_ROUTE = '/api/v1/events/:eventId/availability';
const SEATMAP_ROUTE = '/api/v1/events/:eventId/seatmap';

/** Run helmet once on a recording response to learn the headers it sets (static configuration). */
export function captureSecurityHeaders(security: RequestHandler): string[] {
  const flat: string[] = [];
  const res = {
    setHeader: (name: string, value: string | number | string[]) => {
      flat.push(name, Array.isArray(value) ? value.join(', ') : String(value));
    },
    removeHeader: () => {},
    getHeader: () => undefined,
  };
  let done = false;
  security({ headers: {}, method: 'GET', url: '/' } as never, res as never, () => {
    done = true;
  });
  if (!done) throw new Error('security middleware did not complete synchronously');
  return flat;
}

/**
 * With no rate limiter to run (RATE_LIMITS=off), answer the hot reads before Express's own
 * per-request setup: measured here, an Express app whose first middleware answers at once
 * costs ~0.2 ms CPU per request vs ~0.07 ms for plain node:http with the same headers
 * (Express sets the prototypes of req/res per request, which de-optimises them, then walks its
 * router). Express calls `app.handle(req, res, next)` for every request (express.js
 * `createApplication`, Express 4 and 5); this wraps it. The handler uses only node:http APIs.
 * Returns false (and changes nothing) when the app does not look like that.
 */
export function answerBeforeExpress(app: unknown, hot: RequestHandler): boolean {
  const a = app as { handle?: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void };
  if (typeof a.handle !== 'function') return false;
  const expressHandle = a.handle.bind(a);
  a.handle = (req, res, next) => hot(req as never, res as never, () => expressHandle(req, res, next));
  return true;
}

export function inventoryHotReads(inv: InventoryService, o: HotReadOptions): RequestHandler {
  const securityHeaders = captureSecurityHeaders(o.security);
  const observe = (route: string, status: number, started: number) =>
    o.metrics.httpDuration.observe({ method: 'GET', route, status: String(status) }, (performance.now() - started) / 1000);

  const send = (req: IncomingMessage, res: ServerResponse, status: number, headers: (string | number)[], body?: Buffer) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.writeHead(status, ['X-Request-Id', requestId, ...securityHeaders, ...headers] as unknown as string[]);
    res.end(body);
  };

  const availability = async (req: IncomingMessage, res: ServerResponse, eventId: string, started: number): Promise<boolean> => {
    const m = /^(?:W\/)?"av-(\d+)"$/.exec(req.headers['if-none-match']?.trim() ?? '');
    const snap = await inv.availability(eventId, m ? Number(m[1]) : undefined);
    if (snap.kind === 'no_seats') return false;
    const etag = `W/"av-${snap.version}"`;
    if (snap.kind === 'not_modified') {
      send(req, res, 304, ['Cache-Control', 'no-cache', 'ETag', etag]);
      observe(AVAILABILITY_ROUTE, 304, started);
      return true;
    }
    send(req, res, 200, ['Cache-Control', 'no-cache', 'ETag', etag, 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', snap.body.length], snap.body);
    observe(AVAILABILITY_ROUTE, 200, started);
    return true;
  };

  const seatmap = async (req: IncomingMessage, res: ServerResponse, eventId: string, started: number): Promise<boolean> => {
    const version = await inv.seatmaps.version(eventId);
    if (version == null) return false;
    const etag = layoutEtag(eventId, version);
    const headers: (string | number)[] = ['ETag', etag, 'Cache-Control', 'public, max-age=300'];
    if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
      send(req, res, 304, headers);
      observe(SEATMAP_ROUTE, 304, started);
      return true;
    }
    const layout = await inv.seatmaps.getAt(eventId, version);
    send(req, res, 200, [...headers, 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', layout.body.length], layout.body);
    observe(SEATMAP_ROUTE, 200, started);
    return true;
  };

  return (req, res, next) => {
    if (req.method !== 'GET') return next();
    const m = HOT_URL.exec(req.url);
    if (!m) return next();
    const started = performance.now();
    const serve = () => {
      const run = m[2] === 'availability' ? availability : seatmap;
      run(req, res, m[1]!, started).then(
        (served) => {
          if (!served) next();
        },
        // Errors take the normal path (it answers and logs them properly).
        () => (res.headersSent ? res.destroy() : next()),
      );
    };
    if (o.rateLimitOff) serve();
    else o.rateLimit(req, res, (err?: unknown) => (err ? next(err) : serve()));
  };
}
