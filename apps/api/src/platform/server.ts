import http from 'node:http';
import type { Express } from 'express';

type Classes = { IncomingMessage: typeof http.IncomingMessage; ServerResponse: typeof http.ServerResponse };
const built = new WeakMap<Express, Classes>();

/**
 * The HTTP server for an Express app, made so that Express never changes a live request's
 * prototype.
 *
 * For every request, Express's `app.handle` calls `Object.setPrototypeOf(req, app.request)` and
 * the same on `res`. Measured with `--trace-gc-nvp`, that alone makes V8's young-generation GC keep
 * whole request graphs: about a fifth of everything a request allocates survives two scavenges and
 * is promoted, so every scavenge copies ~2.4 MB and pauses 3–6 ms (a bare `node:http` server with
 * the same traffic promotes nothing and pauses 0.2 ms). Those pauses were the hold path's p99.
 *
 * Here Node's server builds each request and response from subclasses whose prototypes ARE
 * `app.request` / `app.response` (http.createServer's documented `IncomingMessage` and
 * `ServerResponse` options, the approach proposed in expressjs/express#5998), so Express's call
 * finds the prototype already in place and V8 changes nothing. Express's own methods and `req.app`
 * resolve exactly as before: the subclass prototype sits in front of the app's own objects in the
 * chain. Figures: bench/README.md, "Request-stack allocation"; test: platform.test.ts.
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
  return http.createServer({ ...options, ...classes }, app);
}
