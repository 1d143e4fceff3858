import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthenticatedError, AppError } from './errors.js';
import type { Role } from '@ticketing/shared';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated writes, on top of SameSite=Lax cookies:
 * a browser marks a cross-site request with `Sec-Fetch-Site: cross-site` and an `Origin`
 * header; we refuse such writes unless the origin is the app's own or explicitly allowed.
 * Non-browser clients send neither header and cannot ride a victim's cookie.
 */
export function csrfGuard(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    if (origin) {
      const host = req.get('x-forwarded-host') ?? req.get('host');
      let sameHost = false;
      try {
        sameHost = new URL(origin).host === host;
      } catch {
        sameHost = false;
      }
      if (!sameHost && !allowed.has(origin)) return next(new AppError(403, 'csrf_failed', 'Cross-site request refused.'));
    } else if (site === 'cross-site') {
      return next(new AppError(403, 'csrf_failed', 'Cross-site request refused.'));
    }
    next();
  };
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    role?: Role;
    /** Set on a session's first waiting-room join so an anonymous session keeps its id. */
    visitor?: boolean;
  }
}

/** 401 unless a user is signed in on this session. */
export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.session?.userId) return next(new UnauthenticatedError());
  next();
};

/** 401 without a session, 403 without the role. */
export function requireRole(role: Role): RequestHandler {
  return (req, _res, next) => {
    if (!req.session?.userId) return next(new UnauthenticatedError());
    if (req.session.role !== role) return next(new ForbiddenError());
    next();
  };
}
