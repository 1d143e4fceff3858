import type { RedisClient as Redis } from '../../platform/redis.js';
import type { Logger } from '../../platform/logger.js';
import type { InventoryMetrics } from './inventory.metrics.js';
import { keys, withInventoryScripts, type InventoryRedis } from './inventory.scripts.js';

/**
 * A small circuit breaker for the inventory's Redis calls. While open, phase 1 is skipped and
 * holds run on PostgreSQL row locks alone (still correct, only slower under contention).
 */
export class RedisBreaker {
  private openUntil = 0;
  constructor(
    private readonly redis: Redis,
    private readonly openMs = 5_000,
  ) {}

  /** True when a Redis call is worth trying now. */
  canTry(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.openUntil;
  }
  failure(): void {
    this.openUntil = Date.now() + this.openMs;
  }
  get state(): 'closed' | 'open' {
    return this.canTry() ? 'closed' : 'open';
  }
}

/** Result of phase 1. */
export type LockResult =
  | { kind: 'locked' }
  /** Redis unusable: phase 2 alone decides (PostgreSQL row locks). */
  | { kind: 'bypassed' }
  /** Some seats are locked by other users' holds: seat ids, the token (hold id) and the lock's remaining ms on each. */
  | { kind: 'conflict'; taken: { seatId: string; token: string; pttl: number }[] };

/** Phase 1 of a hold: one Redis key per seat, set all-or-nothing by one Lua script. */
export class SeatLocks {
  private readonly redis: InventoryRedis;
  constructor(
    redis: Redis,
    readonly breaker: RedisBreaker,
    private readonly metrics: InventoryMetrics,
    private readonly logger: Logger,
  ) {
    this.redis = withInventoryScripts(redis);
  }

  /**
   * Lock every seat for `token` (a hold of `userId`) for `ttlMs`, or none. Locks of the same
   * user and `overwritable` tokens (locks proven stale) are taken over.
   */
  async acquire(eventId: string, seatIds: string[], token: string, userId: string, ttlMs: number, overwritable: string[] = []): Promise<LockResult> {
    if (!this.breaker.canTry()) {
      this.metrics.lockAttempts.inc({ result: 'error' });
      return { kind: 'bypassed' };
    }
    try {
      const out = await this.redis.invLockSeats(seatIds.length, ...seatIds.map((s) => keys.seat(eventId, s)), token, ttlMs, userId, ...overwritable);
      if (!out.length) {
        this.metrics.lockAttempts.inc({ result: 'acquired' });
        return { kind: 'locked' };
      }
      const taken: { seatId: string; token: string; pttl: number }[] = [];
      for (let i = 0; i < out.length; i += 3) taken.push({ seatId: seatIds[Number(out[i]) - 1]!, token: String(out[i + 1]), pttl: Number(out[i + 2]) });
      this.metrics.lockAttempts.inc({ result: 'conflict' });
      return { kind: 'conflict', taken };
    } catch (err) {
      this.breaker.failure();
      this.metrics.lockAttempts.inc({ result: 'error' });
      this.metrics.redisErrors.inc({ op: 'lock' });
      this.logger.warn({ err, eventId }, 'seat lock failed; falling back to PostgreSQL row locks');
      return { kind: 'bypassed' };
    }
  }

  /** Delete the seat locks that still carry `token`. Never throws: a lock left behind expires by itself. */
  async release(eventId: string, token: string, seatIds: string[]): Promise<void> {
    if (!seatIds.length || !this.breaker.canTry()) return;
    try {
      await this.redis.invUnlockSeats(seatIds.length, ...seatIds.map((s) => keys.seat(eventId, s)), token);
    } catch (err) {
      this.breaker.failure();
      this.metrics.redisErrors.inc({ op: 'unlock' });
      this.logger.warn({ err, eventId }, 'seat unlock failed; the locks expire by themselves');
    }
  }
}
