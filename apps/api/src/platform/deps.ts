import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { Env } from '../config/env.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** Everything the app needs from the outside; main.ts and the tests build it, every module receives it. */
export interface AppDeps {
  env: Env;
  db: pg.Pool;
  /**
   * The pool for seat-hold writes (hold, release, expiry): sessions with generic plans, and
   * synchronous_commit=off when HOLD_COMMIT=async (platform/db.ts). Absent: `db`. Orders,
   * payments and everything else use `db`.
   */
  holdsDb?: pg.Pool;
  redis: Redis;
  logger: Logger;
  metrics: Metrics;
  /** Extra named readiness details shown by /ready (e.g. the payment breaker state). */
  readinessDetails: Record<string, () => unknown>;
}
