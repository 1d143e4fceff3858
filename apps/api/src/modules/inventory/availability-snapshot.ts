import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from '../../platform/logger.js';
import type { InventoryMetrics } from './inventory.metrics.js';
import { keys, withInventoryScripts, type InventoryRedis } from './inventory.scripts.js';
import { loadStatuses, type SeatChange } from './inventory.repo.js';
import type { RedisBreaker } from './seat-locks.js';

/** What GET /availability needs: the body is pre-serialized so a hot read builds no object. */
export type SnapshotRead =
  | { kind: 'not_modified'; version: number }
  | { kind: 'body'; version: number; body: string; counts: { available: number; held: number; sold: number }; statuses: string }
  | { kind: 'no_seats' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The availability snapshot in Redis: a string with one char per seat plus a hash with the
 * version and counts, changed only by Lua scripts that also bump the version and publish.
 * PostgreSQL stays the truth: a missing snapshot is rebuilt from it (one rebuild at a time per
 * event), and events that changed recently are reconciled against it by the worker.
 */
export class AvailabilitySnapshot {
  private readonly redis: InventoryRedis;
  /** Events changed through this process since the last reconcile pass. */
  private readonly dirty = new Set<string>();
  /** Degraded mode (Redis unusable): a short in-process cache of PostgreSQL reads. */
  private readonly fallback = new Map<string, { at: number; read: SnapshotRead & { kind: 'body' } }>();

  constructor(
    redis: Redis,
    private readonly db: pg.Pool,
    private readonly breaker: RedisBreaker,
    private readonly channel: string,
    private readonly metrics: InventoryMetrics,
    private readonly logger: Logger,
  ) {
    this.redis = withInventoryScripts(redis);
  }

  /** Read the snapshot (rebuilding it from PostgreSQL when missing). `known` = the client's version. */
  async read(eventId: string, known?: number): Promise<SnapshotRead> {
    if (!this.breaker.canTry()) return this.readFromDb(eventId, known);
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        const r = await this.redis.invSnapshotRead(2, keys.statuses(eventId), keys.meta(eventId), known === undefined ? '' : String(known));
        if (r) return this.toRead(eventId, r);
        // Missing: one process rebuilds; the others wait briefly for it.
        const gotLock = await this.redis.set(keys.rebuild(eventId), '1', 'PX', 5_000, 'NX');
        if (gotLock) {
          try {
            const built = await this.rebuild(eventId, '');
            if (built === 'no_seats') return { kind: 'no_seats' };
          } finally {
            await this.redis.del(keys.rebuild(eventId));
          }
        } else {
          await sleep(20);
        }
      }
      return this.readFromDb(eventId, known);
    } catch (err) {
      this.breaker.failure();
      this.metrics.redisErrors.inc({ op: 'snapshot_read' });
      this.logger.warn({ err, eventId }, 'availability snapshot unavailable; reading PostgreSQL');
      return this.readFromDb(eventId, known);
    }
  }

  private toRead(eventId: string, r: string[]): SnapshotRead {
    const version = Number(r[0]);
    if (r.length === 1) return { kind: 'not_modified', version };
    const counts = { available: Number(r[1]), held: Number(r[2]), sold: Number(r[3]) };
    const statuses = r[4]!;
    return { kind: 'body', version, counts, statuses, body: availabilityBody(eventId, version, statuses, counts) };
  }

  /** Degraded path: PostgreSQL directly, cached in process for half a second. */
  private async readFromDb(eventId: string, known?: number): Promise<SnapshotRead> {
    const hit = this.fallback.get(eventId);
    let read = hit && Date.now() - hit.at < 500 ? hit.read : null;
    if (!read) {
      const s = await loadStatuses(this.db, eventId);
      if (!s) return { kind: 'no_seats' };
      // No shared counter without Redis: the build time stands in as the version (changes with the content often enough).
      const version = Date.now();
      const counts = { available: s.available, held: s.held, sold: s.sold };
      read = { kind: 'body', version, counts, statuses: s.statuses, body: availabilityBody(eventId, version, s.statuses, counts) };
      this.fallback.set(eventId, { at: Date.now(), read });
      if (this.fallback.size > 100) this.fallback.delete(this.fallback.keys().next().value!);
    }
    return known === read.version ? { kind: 'not_modified', version: read.version } : read;
  }

  /**
   * Write PostgreSQL's statuses into Redis: create the snapshot when missing, or (with
   * `expectedVersion`) correct it when no change landed since that version was read.
   */
  private async rebuild(eventId: string, expectedVersion: string): Promise<number | 'no_seats'> {
    const s = await loadStatuses(this.db, eventId);
    if (!s) return 'no_seats';
    const v = await this.redis.invSnapshotReconcile(
      2,
      keys.statuses(eventId),
      keys.meta(eventId),
      expectedVersion,
      s.statuses,
      // A rebuilt snapshot starts at the clock, so versions keep growing across a Redis flush.
      Date.now(),
      s.available,
      s.held,
      s.sold,
      this.channel,
      eventId,
    );
    this.metrics.snapshotRebuilds.inc({ kind: expectedVersion ? 'reconcile' : 'rebuild' });
    return v;
  }

  /**
   * Apply seat changes after a commit: snapshot + version + publish in one script. Never throws;
   * if Redis is down or the snapshot is missing, the next read or reconcile fixes it from PostgreSQL.
   */
  async apply(eventId: string, changes: SeatChange[]): Promise<void> {
    if (!changes.length) return;
    this.dirty.add(eventId);
    if (!this.breaker.canTry()) return;
    try {
      const args: (string | number)[] = [];
      for (const [i, c] of changes) {
        if (!Number.isInteger(i) || i < 0 || (c !== 'a' && c !== 'h' && c !== 's')) throw new Error(`bad seat change ${String(i)}:${String(c)}`);
        args.push(i, c);
      }
      await this.redis.invSnapshotApply(2, keys.statuses(eventId), keys.meta(eventId), this.channel, eventId, ...args);
    } catch (err) {
      this.breaker.failure();
      this.metrics.redisErrors.inc({ op: 'snapshot_apply' });
      this.logger.warn({ err, eventId }, 'availability snapshot update failed; it will be reconciled from PostgreSQL');
    }
  }

  /**
   * Correct the snapshots of events changed through this process since the last pass (covers
   * changes applied out of order by concurrent requests and changes lost while Redis was away).
   */
  async reconcileDirty(): Promise<number> {
    if (!this.breaker.canTry()) return 0;
    const events = [...this.dirty];
    this.dirty.clear();
    let done = 0;
    for (const eventId of events) {
      try {
        const v = await this.redis.hget(keys.meta(eventId), 'v');
        const r = await this.rebuild(eventId, v ?? '');
        if (r === -1) this.dirty.add(eventId); // a change landed meanwhile; try next pass
        else done++;
      } catch (err) {
        this.dirty.add(eventId);
        this.metrics.redisErrors.inc({ op: 'reconcile' });
        this.logger.warn({ err, eventId }, 'availability reconcile failed');
      }
    }
    return done;
  }

  /** Counts from the snapshot, or null when it is missing or Redis is unusable. */
  async counts(eventId: string): Promise<{ available: number; held: number; sold: number } | null> {
    if (!this.breaker.canTry()) return null;
    try {
      const [v, a, h, s] = await this.redis.hmget(keys.meta(eventId), 'v', 'a', 'h', 's');
      if (v == null) return null;
      return { available: Number(a), held: Number(h), sold: Number(s) };
    } catch {
      return null;
    }
  }
}

/** The JSON body of GET /availability, built as a string (the statuses only contain a, h, s). */
export function availabilityBody(eventId: string, version: number, statuses: string, c: { available: number; held: number; sold: number }): string {
  return `{"eventId":"${eventId}","version":${version},"statuses":"${statuses}","counts":{"available":${c.available},"held":${c.held},"sold":${c.sold}}}`;
}
