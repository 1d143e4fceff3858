import http from 'node:http';
import type { Express } from 'express';

type Classes = { IncomingMessage: typeof http.IncomingMessage; ServerResponse: typeof http.ServerResponse };
const built = new WeakMap<Express, Classes>();

/**
 * The HTTP server for an Express app (main.ts and the test harness use it), made so that Express
 * never changes a live request's prototype.
 *
 * Rule: Node builds each request and response from subclasses whose prototypes ARE
 * `app.request` / `app.response` (http.createServer's documented `IncomingMessage` and
 * `ServerResponse` options, as proposed in expressjs/express#5998), so Express's per-request
 * `Object.setPrototypeOf` finds the prototype already in place and V8 keeps its object shapes.
 * Express's methods and `req.app` resolve exactly as before. Done once per app, never per request.
 * Why, how to re-measure and when to drop it: docs/adr/0004-express-server-subclassing.md.
 *
 * Idle keep-alive connections are kept 65 s, longer than the front door keeps its upstream
 * connections, so the server never closes a socket a client is about to reuse.
 */
export function createHttpServer(app: Express, options: http.ServerOptions = {}): http.Server {
  let classes = built.get(app);
  if (!classes) {
    class AppRequest extends http.IncomingMessage {}
    class AppResponse extends http.ServerResponse {}
    Object.setPrototypeOf(AppRequest.prototype, app.request);
    Object.setPrototypeOf(AppResponse.prototype, app.response);
    app.request = AppRequest.prototype as unknown as Express['request'];
    app.response = AppResponse.prototype as unknown as Express['response'];
    classes = { IncomingMessage: AppRequest, ServerResponse: AppResponse as unknown as typeof http.ServerResponse };
    built.set(app, classes);
  }
  const server = http.createServer({ ...options, ...classes }, app);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
