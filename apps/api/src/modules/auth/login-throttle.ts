import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from '../../platform/redis.js';
import type { Env } from '../../config/env.js';
import type { Logger } from '../../platform/logger.js';
import type { Metrics } from '../../platform/metrics.js';
import { counter } from '../../platform/metrics.js';

type ThrottleEnv = Pick<
  Env,
  'RATE_LIMITS' | 'RATE_LIMIT_LOGIN_WINDOW_SECONDS' | 'RATE_LIMIT_LOGIN_DELAY_AFTER' | 'RATE_LIMIT_LOGIN_DELAY_BASE_MS' | 'RATE_LIMIT_LOGIN_DELAY_MAX_MS'
>;

/**
 * The wait before checking a password after `failures` failed logins of the account in the
 * window: none up to `after`, then `base`, doubling per further failure, capped at `max`.
 */
export function loginDelayMs(failures: number, env: Pick<ThrottleEnv, 'RATE_LIMIT_LOGIN_DELAY_AFTER' | 'RATE_LIMIT_LOGIN_DELAY_BASE_MS' | 'RATE_LIMIT_LOGIN_DELAY_MAX_MS'>): number {
  const over = failures - env.RATE_LIMIT_LOGIN_DELAY_AFTER;
  if (over < 0) return 0;
  return Math.min(env.RATE_LIMIT_LOGIN_DELAY_MAX_MS, env.RATE_LIMIT_LOGIN_DELAY_BASE_MS * 2 ** Math.min(over, 30));
}

/**
 * Per-account defence against password guessing that never locks the owner out: failed logins
 * of an account (from any address) are counted in Redis for the login window, and once there
 * are more than RATE_LIMIT_LOGIN_DELAY_AFTER every attempt on that account waits a growing, capped
 * delay *before* the password is checked (so the wait tells nothing about the answer). The owner
 * waits a few seconds at worst and gets in; hard refusals are per account *and* address
 * (platform/rate-limit.ts). A success clears the count. Fails open when Redis is down.
 * docs/adr/0020-login-abuse-and-trusted-proxies.md
 */
export class LoginThrottle {
  private readonly delayed;

  constructor(
    private readonly deps: { env: ThrottleEnv; redis: Redis; logger: Logger; metrics: Metrics },
    /** How to wait (tests pass one that records instead of sleeping). */
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.delayed = counter(deps.metrics.registry, 'login_delayed_total', 'Login attempts delayed because their account had many recent failures');
  }

  private key(email: string): string {
    // The key names the account without putting the address itself into Redis.
    return `login-fail:${createHash('sha256').update(email).digest('base64url')}`;
  }

  private get on(): boolean {
    return this.deps.env.RATE_LIMITS !== 'off';
  }

  /** The delay the next attempt on `email` waits (ms). */
  async delayFor(email: string): Promise<number> {
    if (!this.on) return 0;
    try {
      const n = Number((await this.deps.redis.get(this.key(email))) ?? 0);
      return loginDelayMs(n, this.deps.env);
    } catch {
      return 0;
    }
  }

  /** Wait as long as the account's recent failures ask, before its password is checked. */
  async beforeAttempt(email: string): Promise<void> {
    const ms = await this.delayFor(email);
    if (ms <= 0) return;
    this.delayed.inc();
    await this.sleep(ms);
  }

  /** Count one failed login of `email` in the window (the window starts at the first failure). */
  async failed(email: string): Promise<void> {
    if (!this.on) return;
    const key = this.key(email);
    await this.deps.redis
      .multi()
      .incr(key)
      .expire(key, this.deps.env.RATE_LIMIT_LOGIN_WINDOW_SECONDS, 'NX')
      .exec()
      .catch((err: unknown) => this.deps.logger.debug({ err }, 'login failure not counted (redis)'));
  }

  /** The owner got in: their account starts afresh. */
  async succeeded(email: string): Promise<void> {
    if (!this.on) return;
    await this.deps.redis.del(this.key(email)).catch(() => undefined);
  }
}
