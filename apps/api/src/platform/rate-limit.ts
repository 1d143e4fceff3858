import { rateLimit, type RateLimitRequestHandler, type Options } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../app.js';
import { RateLimitedError } from './errors.js';
import { sendProblem } from './http.js';

export interface RateLimiters {
  /** Every /api/v1 request, per IP. */
  api: RequestHandler;
  loginPerIp: RequestHandler;
  /** Keyed by the e-mail in the body, so one account cannot be brute-forced from many IPs. */
  loginPerAccount: RequestHandler;
  registerPerIp: RequestHandler;
}

const pass: RequestHandler = (_req, _res, next) => next();

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
 */
export function createRateLimiters(deps: AppDeps): RateLimiters {
  const { env, redis } = deps;
  if (env.RATE_LIMITS === 'off') return { api: pass, loginPerIp: pass, loginPerAccount: pass, registerPerIp: pass };

  const make = (name: string, limit: number, windowSeconds: number, keyGenerator?: Options['keyGenerator']): RateLimitRequestHandler =>
    rateLimit({
      windowMs: windowSeconds * 1000,
      limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      passOnStoreError: true,
      ...(keyGenerator ? { keyGenerator } : {}),
      store: handledScriptLoads(
        new RedisStore({
          prefix: `rl:${name}:`,
          sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
        }),
      ),
      handler: (_req, res, _next, options) => {
        const reset = (_req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const retry = reset ? (reset.getTime() - Date.now()) / 1000 : options.windowMs / 1000;
        sendProblem(res, new RateLimitedError(retry));
      },
    });

  return {
    api: make('api', env.RATE_LIMIT_API_PER_IP, env.RATE_LIMIT_API_WINDOW_SECONDS),
    loginPerIp: make('login-ip', env.RATE_LIMIT_LOGIN_PER_IP, env.RATE_LIMIT_LOGIN_WINDOW_SECONDS),
    loginPerAccount: make('login-acct', env.RATE_LIMIT_LOGIN_PER_ACCOUNT, env.RATE_LIMIT_LOGIN_WINDOW_SECONDS, (req) => {
      const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
      return `acct:${email}`;
    }),
    registerPerIp: make('register-ip', env.RATE_LIMIT_REGISTER_PER_IP, 3600),
  };
}
