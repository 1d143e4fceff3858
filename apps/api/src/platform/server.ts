import http from 'node:http';
import type { Express } from 'express';

/**
 * Node flags the API is meant to run with (scripts/stack.mjs gives them to every instance; the
 * Dockerfile and apps/api's `start` and `dev` scripts too). `--no-allocation-site-pretenuring`: V8 switched an
 * allocation site on the waiting-room status poll to pretenuring after it survived early on, and
 * from then on every young-generation GC promoted ~0.4 MB (mostly the Redis client's per-command
 * objects) and a full GC ran every ~4 s under 2,000 polls/s; without pretenuring nothing is promoted
 * and no full GC runs (bench/README.md, fifth pass). A request/response server allocates almost
 * nothing long-lived, so pretenuring gains it nothing.
 */
export const API_NODE_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

/** The API_NODE_FLAGS this process was started without (main.ts logs a warning for them). */
export function missingNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return API_NODE_FLAGS.filter((f) => !execArgv.includes(f));
}

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
