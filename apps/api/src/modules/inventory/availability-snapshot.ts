import type { RedisClient as Redis } from '../../platform/redis.js';
import type pg from 'pg';
import type { Logger } from '../../platform/logger.js';
import type { InventoryMetrics } from './inventory.metrics.js';
import { keys, withInventoryScripts, type InventoryRedis } from './inventory.scripts.js';
import { loadStatuses, type SeatChange } from './inventory.repo.js';
import type { RedisBreaker } from './seat-locks.js';
import type { AvailabilityStream } from './availability-stream.js';

/** What GET /availability needs: the body is pre-serialized so a hot read builds no object. */
export type SnapshotRead =
  | { kind: 'not_modified'; version: number }
  | {
      kind: 'body';
      version: number;
      /** The response body, UTF-8 (ASCII) bytes ready to write. */
      body: Buffer;
      counts: { available: number; held: number; sold: number };
      /** One status byte per seat index: 97 'a', 104 'h', 115 's'. */
      statuses: Buffer;
    }
  | { kind: 'no_seats' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * How long an in-process copy of a snapshot is served without asking Redis. Changes arrive in
 * between over pub/sub (applied in version order); this bounds staleness if a message is lost.
 */
const MIRROR_TTL_MS = 1_000;

interface MirrorEntry {
  version: number;
  statuses: Buffer;
  counts: { available: number; held: number; sold: number };
  body: Buffer | null;
  verifiedAt: number;
}

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
  /** In-process copies of hot snapshots, kept current by the pub/sub changes (see MIRROR_TTL_MS). */
  private readonly mirror = new Map<string, MirrorEntry>();
  /** Snapshot updates sent by this process and not yet answered, per event (read-your-writes, see apply). */
  private readonly applying = new Map<string, number>();
  private subscribed = false;

  constructor(
    redis: Redis,
    private readonly db: pg.Pool,
    private readonly breaker: RedisBreaker,
    private readonly channel: string,
    private readonly metrics: InventoryMetrics,
    private readonly logger: Logger,
    private readonly stream?: AvailabilityStream,
  ) {
    this.redis = withInventoryScripts(redis);
  }

  /** Apply a published change message to the in-process copy, in version order; a gap drops the copy. */
  private onChange(eventId: string, json: string): void {
    const entry = this.mirror.get(eventId);
    if (!entry) return;
    let msg: { version: number; changes: [number, string][] };
    try {
      msg = JSON.parse(json);
    } catch {
      this.mirror.delete(eventId);
      return;
    }
    if (msg.version <= entry.version) return;
    if (msg.version !== entry.version + 1) {
      this.mirror.delete(eventId);
      return;
    }
    for (const [i, c] of msg.changes) {
      const old = entry.statuses[i];
      if (old === undefined) continue;
      const code = c.charCodeAt(0);
      if (old === code) continue;
      entry.statuses[i] = code;
      entry.counts[countKey(old)]--;
      entry.counts[countKey(code)]++;
    }
    entry.version = msg.version;
    entry.body = null;
  }

  private fromMirror(eventId: string, entry: MirrorEntry, known?: number): SnapshotRead {
    if (known === entry.version) return { kind: 'not_modified', version: entry.version };
    entry.body ??= Buffer.from(availabilityBody(eventId, entry.version, entry.statuses.toString('latin1'), entry.counts), 'latin1');
    return { kind: 'body', version: entry.version, counts: { ...entry.counts }, statuses: entry.statuses, body: entry.body };
  }

  /** Read the snapshot (rebuilding it from PostgreSQL when missing). `known` = the client's version. */
  async read(eventId: string, known?: number): Promise<SnapshotRead> {
    if (!this.breaker.canTry()) return this.readFromDb(eventId, known);
    if (this.stream && !this.subscribed) {
      this.subscribed = true;
      this.stream.onAny((id, json) => this.onChange(id, json));
    }
    const cached = this.mirror.get(eventId);
    // While an update of ours is in flight, ask Redis: the read is queued behind the update on the
    // same connection, so this process always serves its own changes.
    if (cached && !this.applying.has(eventId) && Date.now() - cached.verifiedAt < MIRROR_TTL_MS) return this.fromMirror(eventId, cached, known);
    let have = cached ? String(cached.version) : '';
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        const r = await this.redis.invSnapshotRead(2, keys.statuses(eventId), keys.meta(eventId), have);
        if (r) {
          const entry = this.mirror.get(eventId);
          if (r.length === 1 && entry && entry.version === Number(r[0])) {
            entry.verifiedAt = Date.now();
            return this.fromMirror(eventId, entry, known);
          }
          if (r.length === 1) {
            have = ''; // our copy vanished meanwhile: read the full snapshot
            continue;
          }
          return this.fromMirror(eventId, this.remember(eventId, r), known);
        }
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

  /** Keep a full snapshot read as the in-process copy. */
  private remember(eventId: string, r: string[]): MirrorEntry {
    const entry: MirrorEntry = {
      version: Number(r[0]),
      counts: { available: Number(r[1]), held: Number(r[2]), sold: Number(r[3]) },
      statuses: Buffer.from(r[4]!, 'latin1'),
      body: null,
      verifiedAt: Date.now(),
    };
    this.mirror.set(eventId, entry);
    if (this.mirror.size > 1000) this.mirror.delete(this.mirror.keys().next().value!);
    return entry;
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
      read = { kind: 'body', version, counts, statuses: Buffer.from(s.statuses, 'latin1'), body: Buffer.from(availabilityBody(eventId, version, s.statuses, counts), 'latin1') };
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
    const args: (string | number)[] = [];
    for (const [i, c] of changes) {
      if (!Number.isInteger(i) || i < 0 || (c !== 'a' && c !== 'h' && c !== 's')) {
        // A caller's bug, not a Redis problem: do not trip the breaker; the reconcile fixes the snapshot.
        this.logger.error({ eventId, change: [i, c] }, 'invalid seat change ignored');
        return;
      }
      args.push(i, c);
    }
    if (!this.breaker.canTry()) return;
    // The command is written to the connection synchronously (before this returns its promise),
    // so callers may fire and forget: any later read by this process is queued behind it.
    this.applying.set(eventId, (this.applying.get(eventId) ?? 0) + 1);
    try {
      await this.redis.invSnapshotApply(2, keys.statuses(eventId), keys.meta(eventId), this.channel, eventId, ...args);
      // Read-your-writes in this process: the next read re-verifies the version with Redis
      // (the copy catches up from the published message, or the read fetches the new content).
      const entry = this.mirror.get(eventId);
      if (entry) entry.verifiedAt = 0;
    } catch (err) {
      this.mirror.delete(eventId);
      this.breaker.failure();
      this.metrics.redisErrors.inc({ op: 'snapshot_apply' });
      this.logger.warn({ err, eventId }, 'availability snapshot update failed; it will be reconciled from PostgreSQL');
    } finally {
      const n = this.applying.get(eventId)! - 1;
      if (n > 0) this.applying.set(eventId, n);
      else this.applying.delete(eventId);
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
        this.mirror.delete(eventId);
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

  /** Mark events for the next reconcile pass (e.g. events with active holds, changed by any instance). */
  markDirty(eventIds: string[]): void {
    for (const id of eventIds) this.dirty.add(id);
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

function countKey(code: number): 'available' | 'held' | 'sold' {
  return code === 97 ? 'available' : code === 104 ? 'held' : 'sold';
}
