import { ipKeyGenerator, rateLimit, type Options, type RateLimitInfo, type RateLimitRequestHandler } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { Request, RequestHandler } from 'express';
import type { AppDeps } from './deps.js';
import { RateLimitedError } from './errors.js';
import { sendProblem } from './http.js';
import { counter } from './metrics.js';
import { rateLimitCommand } from './redis.js';

export interface RateLimiters {
  /** Every /api/v1 request, per IP. */
  api: RequestHandler;
  /** Every login attempt from one address, whatever the account (credential stuffing). */
  loginPerIp: RequestHandler;
  /**
   * Failed logins per account *and* address (`acct:<email>:ip:<addr>`): a guesser locks only
   * their own address out of that account, never the owner elsewhere. Mount it after
   * `validate()`: it reads the normalised e-mail. The per-account defence across addresses is
   * the progressive delay in modules/auth/login-throttle.ts (docs/adr/0020-login-abuse-and-trusted-proxies.md).
   */
  loginPerAccount: RequestHandler;
  /** After a successful login: that account's failures from this address start afresh. */
  loginSucceeded: (req: Request) => Promise<void>;
  registerPerIp: RequestHandler;
}

/** The limiters the sign-in routes mount (modules/auth): the composition root passes them to the auth module. */
export type AuthLimiters = Pick<RateLimiters, 'loginPerIp' | 'loginPerAccount' | 'loginSucceeded' | 'registerPerIp'>;

const pass: RequestHandler = (_req, _res, next) => next();

/** The client address as Express's `trust proxy` resolved it, folded to its /56 for IPv6. */
export function clientKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** The normalised e-mail `validate()` parsed from a login body ('' when there is none). */
function parsedEmail(req: Request): string {
  const email = (req.res?.locals.parsed as { body?: { email?: unknown } } | undefined)?.body?.email;
  return typeof email === 'string' ? email : '';
}

/**
 * rate-limit-redis loads its Lua scripts when constructed and keeps the promises; with Redis
 * unreachable they would reject unhandled (which ends a Node process). The store reloads a
 * script on its next use anyway, so a failed load only needs to be marked as seen.
 */
function handledScriptLoads(store: RedisStore): RedisStore {
  const loads = store as unknown as { incrementScriptSha?: Promise<unknown>; getScriptSha?: Promise<unknown> };
  for (const p of [loads.incrementScriptSha, loads.getScriptSha]) p?.catch(() => {});
  return store;
}

/**
 * Redis-backed limits shared by every API instance. They fail open if Redis is down
 * (a limiter must not take the site down with it). `RATE_LIMITS=off` disables them all.
 * A refused request is counted in `rate_limited_requests_total{limiter}`; it is logged once per
 * key and window (the first refusal, when the shared count passes the limit), so a flood does
 * not become a flood of log lines.
 */
export function createRateLimiters(deps: AppDeps): RateLimiters {
  const { env, redis, logger } = deps;
  if (env.RATE_LIMITS === 'off') return { api: pass, loginPerIp: pass, loginPerAccount: pass, loginSucceeded: async () => {}, registerPerIp: pass };
  const refused = counter(deps.metrics.registry, 'rate_limited_requests_total', 'Requests refused with 429 by a rate limiter', ['limiter'] as const);

  const make = (name: string, limit: number, windowSeconds: number, extra: Partial<Options> = {}): RateLimitRequestHandler =>
    rateLimit({
      windowMs: windowSeconds * 1000,
      limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      passOnStoreError: true,
      keyGenerator: clientKey,
      // Which addresses may set X-Forwarded-For is TRUST_PROXY's decision; a client that sends it
      // from elsewhere is simply not believed (no library warning needed).
      validate: { xForwardedForHeader: false },
      ...extra,
      store: handledScriptLoads(
        new RedisStore({
          prefix: `rl:${name}:`,
          // Routed by key on a Redis Cluster (rate-limit-redis's sendCommandCluster; platform/redis.ts).
          sendCommandCluster: rateLimitCommand(redis),
        }),
      ),
      handler: (req, res, _next, options) => {
        const info = (req as { rateLimit?: RateLimitInfo }).rateLimit;
        refused.inc({ limiter: name });
        if (info && info.used === info.limit + 1) {
          // The key may hold an e-mail address: log the limiter and the address only.
          logger.warn({ limiter: name, ip: req.ip, limit: info.limit, resetAt: info.resetTime?.toISOString() }, 'rate limit reached; further refusals this window are only counted');
        }
        const retry = info?.resetTime ? (info.resetTime.getTime() - Date.now()) / 1000 : options.windowMs / 1000;
        sendProblem(res, new RateLimitedError(retry));
      },
    });

  const accountAddress = (req: Request) => `acct:${parsedEmail(req)}:ip:${clientKey(req)}`;
  const loginPerAccount = make('login-acct-ip', env.RATE_LIMIT_LOGIN_PER_ACCOUNT, env.RATE_LIMIT_LOGIN_WINDOW_SECONDS, {
    keyGenerator: accountAddress,
    // Only failures count: the owner signing in does not use up their own allowance.
    skipSuccessfulRequests: true,
  });
  return {
    api: make('api', env.RATE_LIMIT_API_PER_IP, env.RATE_LIMIT_API_WINDOW_SECONDS),
    loginPerIp: make('login-ip', env.RATE_LIMIT_LOGIN_PER_IP, env.RATE_LIMIT_LOGIN_WINDOW_SECONDS),
    loginPerAccount,
    loginSucceeded: async (req) => {
      await Promise.resolve(loginPerAccount.resetKey(accountAddress(req))).catch(() => undefined);
    },
    registerPerIp: make('register-ip', env.RATE_LIMIT_REGISTER_PER_IP, 3600),
  };
}
