import { LRUCache } from 'lru-cache';
import type { Queryable } from '../../platform/db.js';
import { findEventSaleInfo } from './event-sale.repo.js';
import type { SaleTimes } from './event-status.js';

/** What the sale paths (waiting room, holds) need to know about an event. */
export interface EventFacts extends SaleTimes {
  id: string;
  name: string;
  highDemand: boolean;
  currency: string;
  maxTicketsPerUser: number;
  admissionRatePerMinute: number;
  maxConcurrentShoppers: number;
}

/**
 * The port other modules read event facts through (the events module implements it with
 * EventFactsCache). "On sale" is decided from these facts with `isOnSale` (event-status.ts).
 */
export interface EventFactsPort {
  /** The event's facts (cached); null when there is no such event. */
  facts(eventId: string): Promise<EventFacts | null>;
  /**
   * The cached facts without reaching PostgreSQL: undefined when not cached (or expired). A
   * hit close to expiry reloads the entry in the background, so a steady stream of readers
   * keeps finding it.
   */
  cachedFacts(eventId: string): EventFacts | null | undefined;
}

/** How long event facts are trusted in a process (an edit on another instance shows within this). */
export const EVENT_FACTS_TTL_MS = 5_000;
/** A hit this close to expiry reloads the entry in the background. */
export const EVENT_FACTS_REFRESH_AHEAD_MS = 1_000;
/** Events whose facts one process keeps. */
export const EVENT_FACTS_MAX = 10_000;

export interface EventFactsCacheOptions {
  ttlMs?: number;
  refreshAheadMs?: number;
  /** The clock (ms) the lifetimes are measured on; tests pass one they move by hand. */
  now?: () => number;
}

/**
 * The one cache of event facts: in-process (a waiting-room poll never reaches PostgreSQL or
 * Redis for them), one lifetime, dropped by the events module after every event or venue write
 * it commits (EventsService.invalidate). Concurrent misses of one event share one query.
 */
export class EventFactsCache implements EventFactsPort {
  private readonly entries: LRUCache<string, { facts: EventFacts | null }>;
  private readonly refreshAheadMs: number;

  constructor(db: Queryable, opts: EventFactsCacheOptions = {}) {
    this.refreshAheadMs = opts.refreshAheadMs ?? EVENT_FACTS_REFRESH_AHEAD_MS;
    const now = opts.now;
    this.entries = new LRUCache({
      max: EVENT_FACTS_MAX,
      ttl: opts.ttlMs ?? EVENT_FACTS_TTL_MS,
      // With an injected clock, read it at every check (no 1 ms cached "now").
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
      fetchMethod: async (eventId) => ({ facts: toFacts(await findEventSaleInfo(db, eventId)) }),
    });
  }

  async facts(eventId: string): Promise<EventFacts | null> {
    const entry = await this.entries.fetch(eventId);
    return entry?.facts ?? null;
  }

  cachedFacts(eventId: string): EventFacts | null | undefined {
    const entry = this.entries.get(eventId);
    if (!entry) return undefined;
    if (this.entries.getRemainingTTL(eventId) < this.refreshAheadMs) {
      // One reload at a time (lru-cache joins a fetch in flight); a failure leaves the entry to expire.
      this.entries.fetch(eventId, { forceRefresh: true }).catch(() => undefined);
    }
    return entry.facts;
  }

  /** Forget one event's facts, or all (call after a committed write). */
  invalidate(eventId?: string): void {
    if (eventId) this.entries.delete(eventId);
    else this.entries.clear();
  }
}

function toFacts(info: Awaited<ReturnType<typeof findEventSaleInfo>>): EventFacts | null {
  if (!info) return null;
  return {
    id: info.id,
    name: info.name,
    highDemand: info.highDemand,
    currency: info.currency,
    maxTicketsPerUser: info.maxTicketsPerUser,
    admissionRatePerMinute: info.admissionRatePerMinute,
    maxConcurrentShoppers: info.maxConcurrentShoppers,
    onSaleAtMs: info.onSaleAt.getTime(),
    startsAtMs: info.startsAt.getTime(),
    cancelled: info.cancelled,
  };
}
