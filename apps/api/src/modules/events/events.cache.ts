import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from '../../platform/redis.js';
import type { Logger } from '../../platform/logger.js';
import { counter, type Metrics } from '../../platform/metrics.js';

type CacheResult = 'hit' | 'miss' | 'bypass';

/** The generation counter: every cached event read is keyed under its current value. */
export const EVENTS_VERSION_KEY = 'events:ver';

/**
 * Cache-aside for serialized event reads (list pages and single events) in Redis.
 * Keys carry a generation number (`events:v<ver>:list:<hash>`, `events:v<ver>:one:<id>`):
 * bumping `events:ver` makes every cached page unreachable at once, and a reader that loaded
 * old rows before the bump can only write them under the old generation, which nobody reads.
 * Entries expire after `ttlSeconds`. Redis being down never fails a read: we skip the cache.
 */
export class EventsCache {
  private readonly count: (result: CacheResult) => void;

  constructor(
    private readonly redis: Redis | undefined,
    private readonly ttlSeconds: number,
    private readonly logger?: Logger,
    metrics?: Metrics,
  ) {
    const c = metrics ? counter(metrics.registry, 'event_cache_reads_total', 'Cached event reads by result (hit, miss, bypass = Redis unavailable)', ['result'] as const) : null;
    this.count = (result) => c?.inc({ result });
  }

  private usable(): boolean {
    return !!this.redis && this.redis.status === 'ready';
  }

  /** Stable key part for a list query: parameters sorted so equal queries share an entry. */
  static listKey(query: Record<string, unknown>): string {
    const canonical = Object.keys(query)
      .sort()
      .filter((k) => query[k] !== undefined)
      .map((k) => `${k}=${String(query[k])}`)
      .join('&');
    return `list:${createHash('sha1').update(canonical).digest('base64url')}`;
  }

  /** The cached JSON for `key`, or `load()` serialized, stored and returned. `load` returning null is not cached. */
  async getOrLoad(key: string, load: () => Promise<unknown | null>): Promise<string | null> {
    let version: string | null = null;
    if (this.usable()) {
      try {
        version = (await this.redis!.get(EVENTS_VERSION_KEY)) ?? '0';
        const hit = await this.redis!.get(`events:v${version}:${key}`);
        if (hit !== null) {
          this.count('hit');
          return hit;
        }
      } catch (err) {
        this.logger?.warn({ err }, 'event cache read failed; reading from PostgreSQL');
        version = null;
      }
    }
    this.count(version === null ? 'bypass' : 'miss');
    const value = await load();
    if (value === null) return null;
    const json = JSON.stringify(value);
    if (version !== null && this.usable()) {
      this.redis!.set(`events:v${version}:${key}`, json, 'EX', this.ttlSeconds).catch(() => {});
    }
    return json;
  }

  /** Make every cached event read stale at once (call after the change has committed). */
  async bump(): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.incr(EVENTS_VERSION_KEY);
    } catch (err) {
      // Entries still expire after the TTL; nothing else to do while Redis is away.
      this.logger?.warn({ err }, 'event cache invalidation failed; entries expire by TTL');
    }
  }
}
