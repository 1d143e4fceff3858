import type { Router } from 'express';
import type { Worker } from './worker.js';

/**
 * What a module's factory (`createXModule(deps, ports)`) returns. app.ts, the composition root,
 * builds every module, hands each the ports it needs from the others (interfaces the module
 * declares), mounts the routers and schedules the workers. No module imports app.ts.
 */
export interface AppModule<S> {
  /** The module's service: what other modules may call, through the ports they declare. */
  service: S;
  /** Routers mounted under /api/v1 before bodies and sessions are read (public polled reads). */
  publicRoutes?: Router[];
  /** Routers mounted under /api/v1 after body parsing, the session and the CSRF guard; each carries its own path prefixes. */
  routes?: Router[];
  /** Periodic jobs of this module. */
  workers?: Worker[];
}
