import { Router } from 'express';
import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import type { AuthLimiters } from '../../platform/rate-limit.js';
import { authRoutes, type AuthPorts } from './auth.routes.js';
import { AuthService } from './auth.service.js';

export type { AuthPorts } from './auth.routes.js';

/** Accounts and sessions. Needs the waiting room (AuthPorts) and the login limiters. Routes: /auth. */
export function createAuthModule(deps: AppDeps, ports: AuthPorts, limiters: AuthLimiters): AppModule<AuthService> {
  const service = new AuthService(deps);
  const routes = Router();
  routes.use('/auth', authRoutes(service, ports, limiters));
  return { service, routes: [routes] };
}
