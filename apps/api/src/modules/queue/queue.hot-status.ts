import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { captureSecurityHeaders, type HotReadOptions } from '../inventory/inventory.hot-reads.js';
import { QUEUE_COOKIE, readCookie, sessionIdInCookie } from './queue-cookie.js';
import type { QueueService } from './queue.service.js';

const HOT_URL = /^\/api\/v1\/events\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/queue$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** The label the normal route gets from routeLabel() (queue routes are mounted at /events/:eventId/queue). */
const ROUTE = '/api/v1/events/:param/queue';
/** The express-session cookie name (app.ts). */
const SESSION_COOKIE = 'tk.sid';

/**
 * The waiting-room status poll `GET /api/v1/events/:eventId/queue` answered before the general
 * middleware stack (mounted first in app.ts, next to the inventory hot reads), so a poll costs
 * the status Lua script plus a little, not an express-session read from Redis, the access log,
 * AsyncLocalStorage and the routers. Design: docs/architecture/waiting-room.md.
 *
 * Who is asking comes from the signed `tk.q` cookie (queue-cookie.ts) that the normal join/status
 * routes issue to the session holder. It is used only when
 *  - its HMAC verifies (timing-safe) and it has not expired, and
 *  - the request's session cookie `tk.sid` names the same session id (so after sign-in, which
 *    regenerates the session, or sign-out, which clears it, the cookie no longer applies);
 * and the answer is given only for the ready cases: event facts in the queue service's
 * in-process cache, the event still open, the caller queued or admitted. Everything else — no or
 * a bad cookie, a cache miss, an unknown/normal/cancelled/started event, not queued, an error —
 * falls through to the normal route, which answers it in full and re-issues the cookie.
 *
 * Kept from the normal stack: request id, security headers, the per-IP API rate limit (when on),
 * the `http_request_duration_seconds` metric under the same route label, `Cache-Control: no-store`.
 * Not done here: the access log line, ETag (pointless with no-store), session handling.
 */
export function queueHotStatus(queue: QueueService, o: HotReadOptions): RequestHandler {
  const securityHeaders = captureSecurityHeaders(o.security);

  return (req, res, next) => {
    if (req.method !== 'GET') return next();
    const m = HOT_URL.exec(req.url);
    if (!m) return next();
    const raw = readCookie(req.headers.cookie, QUEUE_COOKIE);
    const who = raw ? queue.cookie.verify(raw) : null;
    if (!who || sessionIdInCookie(readCookie(req.headers.cookie, SESSION_COOKIE)) !== who.sessionId) return next();
    const started = performance.now();
    const serve = () => {
      queue.readyStatus(m[1]!, who).then(
        (status) => {
          if (!status) return next();
          const body = Buffer.from(JSON.stringify(status));
          const incoming = req.headers['x-request-id'];
          const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
          res.writeHead(200, [
            'X-Request-Id', requestId, ...securityHeaders,
            'Cache-Control', 'no-store', 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(body.length),
          ] as unknown as string[]);
          res.end(body);
          o.metrics.httpDuration.observe({ method: 'GET', route: ROUTE, status: '200' }, (performance.now() - started) / 1000);
        },
        // Errors take the normal path (it answers and logs them properly).
        () => (res.headersSent ? res.destroy() : next()),
      );
    };
    if (o.rateLimitOff) serve();
    else o.rateLimit(req, res, (err?: unknown) => (err ? next(err) : serve()));
  };
}
