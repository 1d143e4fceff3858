import type { Event, EventInput, EventList, EventListQuery, QueueSettings, QueueSettingsInput } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { EventFactsCache, type EventFacts, type EventFactsCacheOptions, type EventFactsPort } from './event-facts.js';
import { EventsCache } from './events.cache.js';
import { findEventDetail, searchEvents } from './events.queries.js';
import {
  bumpLayoutVersion,
  deleteEventSections,
  generateEventSeats,
  insertEvent,
  lockEventForUpdate,
  lockVenueLayoutForShare,
  updateEvent,
  updateQueueSettings,
} from './event-write.repo.js';

/** What the events service needs; Redis and env are optional so the seed can run without them. */
export type EventsServiceDeps = Pick<AppDeps, 'db' | 'readDb'> & Partial<Pick<AppDeps, 'redis' | 'env' | 'logger' | 'metrics'>>;

/** Lifetimes and clock of the events module's caches (tests shorten them or move the clock). */
export interface EventsServiceOptions {
  /** The in-process event facts (event-facts.ts). */
  facts?: EventFactsCacheOptions;
  /** Lifetime of the cached discovery answers in Redis; default EVENT_CACHE_TTL_SECONDS. */
  readCacheTtlSeconds?: number;
}

/**
 * Event discovery (search, detail, cached), the admin use cases that create and edit events, and
 * the event facts other modules read (EventFactsPort). Every write it commits drops both caches.
 */
export class EventsService implements EventFactsPort {
  private readonly cache: EventsCache;
  private readonly factsCache: EventFactsCache;

  constructor(
    private readonly deps: EventsServiceDeps,
    opts: EventsServiceOptions = {},
  ) {
    this.cache = new EventsCache(deps.redis, opts.readCacheTtlSeconds ?? deps.env?.EVENT_CACHE_TTL_SECONDS ?? 30, deps.logger, deps.metrics);
    this.factsCache = new EventFactsCache(deps.db, opts.facts);
  }

  /** The sale facts of an event (cached in-process); null when unknown. */
  facts(eventId: string): Promise<EventFacts | null> {
    return this.factsCache.facts(eventId);
  }

  /** The cached sale facts, never reaching PostgreSQL (EventFactsPort.cachedFacts). */
  cachedFacts(eventId: string): EventFacts | null | undefined {
    return this.factsCache.cachedFacts(eventId);
  }

  /** A page of events matching the query (uncached). `all` includes past and cancelled events (admin). */
  async list(q: EventListQuery, opts: { all?: boolean } = {}): Promise<EventList> {
    const { items, total } = await searchEvents(opts.all ? this.deps.db : (this.deps.readDb ?? this.deps.db), q, opts); // admin list: the primary (sees its own writes)
    return { items, page: q.page, limit: q.limit, total };
  }

  /** The public list page as JSON, served from the cache when fresh. */
  async listJson(q: EventListQuery): Promise<string> {
    const json = await this.cache.getOrLoad(EventsCache.listKey(q), () => this.list(q));
    return json!;
  }

  /** One event (uncached); 404 when unknown. */
  async get(id: string): Promise<Event> {
    const event = await findEventDetail(this.deps.db, id);
    if (!event) throw new NotFoundError('Event');
    return event;
  }

  /** One event as JSON, served from the cache when fresh; 404 when unknown (misses are not cached). */
  async getJson(id: string): Promise<string> {
    const json = await this.cache.getOrLoad(`one:${id}`, () => findEventDetail(this.deps.readDb ?? this.deps.db, id));
    if (json === null) throw new NotFoundError('Event');
    return json;
  }

  /**
   * Create an event and generate its seat inventory from the venue layout, in one transaction.
   * With a fixed `id` that already exists (the idempotent seed) nothing changes.
   */
  async create(input: EventInput, opts: { id?: string } = {}): Promise<{ event: Event; created: boolean; seats: number }> {
    const result = await withTransaction(this.deps.db, async (tx) => {
      // FOR SHARE: the layout cannot be replaced between the copy of sections and of seats.
      if (!(await lockVenueLayoutForShare(tx, input.venueId))) throw new ValidationError([{ path: 'body.venueId', message: 'no venue with this id' }]);
      const id = await insertEvent(tx, { ...input, id: opts.id });
      if (!id) return { id: opts.id!, created: false, seats: 0 };
      const seats = await generateEventSeats(tx, id, input.venueId);
      return { id, created: true, seats };
    });
    if (result.created) await this.invalidate(result.id);
    return { event: await this.get(result.id), created: result.created, seats: result.seats };
  }

  /** Edit an event. Moving it to another venue once it has seats is refused (409): tickets point at them. */
  async update(id: string, input: EventInput): Promise<Event> {
    await withTransaction(this.deps.db, async (tx) => {
      const current = await lockEventForUpdate(tx, id);
      if (!current) throw new NotFoundError('Event');
      if (current.venueId !== input.venueId) {
        if (current.hasSeats) throw new ConflictError('The venue of an event with seats cannot change; create a new event instead.');
        if (!(await lockVenueLayoutForShare(tx, input.venueId))) throw new ValidationError([{ path: 'body.venueId', message: 'no venue with this id' }]);
      }
      await updateEvent(tx, id, input);
      if (current.venueId !== input.venueId) {
        await deleteEventSections(tx, id);
        await generateEventSeats(tx, id, input.venueId);
        await bumpLayoutVersion(tx, id);
      }
    });
    await this.invalidate(id);
    return this.get(id);
  }

  /** Change an event's waiting-room admission settings; 404 for an unknown event. */
  async updateQueueSettings(eventId: string, input: QueueSettingsInput): Promise<QueueSettings> {
    const row = await updateQueueSettings(this.deps.db, eventId, input);
    if (!row) throw new NotFoundError('Event');
    await this.invalidate(eventId);
    return row;
  }

  /**
   * Drop the cached facts of the event (of every event without `eventId`) and every cached
   * discovery read (all list pages and single events) so the next read comes from PostgreSQL.
   * Call it AFTER committing a change to event or venue data (admin edit, cancellation,
   * sold-out). Per-hold seat changes need not call it: cached counts are at most the TTL old.
   * The whole read generation is bumped either way, because every list page may contain that
   * event. Other instances see the facts change within their lifetime (EVENT_FACTS_TTL_MS).
   */
  async invalidate(eventId?: string): Promise<void> {
    this.deps.logger?.debug({ eventId }, 'event cache invalidated');
    this.factsCache.invalidate(eventId);
    await this.cache.bump();
  }
}
