import type { Router } from 'express';
import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { healthRoutes } from './health.routes.js';

/** The health module: its routers sit at the root, outside /api/v1 and before the security headers. */
export interface HealthModule extends AppModule<null> {
  rootRoutes: Router[];
}

/** /health, /ready and /metrics. Needs nothing from another module. */
export function createHealthModule(deps: AppDeps): HealthModule {
  return { service: null, rootRoutes: [healthRoutes(deps)] };
}
