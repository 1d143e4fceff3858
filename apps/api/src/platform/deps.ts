import type pg from 'pg';
import type { RedisClient } from './redis.js';
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
  /**
   * Read pool for discovery (event search, lists, details, venues): a streaming replica when
   * DATABASE_READ_URL is set, so it may lag the primary. Absent: `db`. Never used for anything that
   * decides a sale (holds, checkout, orders read and write `db`).
   */
  readDb?: pg.Pool;
  /** One Redis server, or a Redis Cluster when REDIS_CLUSTER_NODES is set (platform/redis.ts). */
  redis: RedisClient;
  logger: Logger;
  metrics: Metrics;
  /** Extra named readiness details shown by /ready (e.g. the payment breaker state). */
  readinessDetails: Record<string, () => unknown>;
}
