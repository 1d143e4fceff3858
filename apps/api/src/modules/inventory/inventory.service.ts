import type { Hold, HoldInput } from '@ticketing/shared';
import { LRUCache } from 'lru-cache';
import type { AppDeps } from '../../platform/deps.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import { withSpan } from '../../platform/spans.js';
import { AvailabilitySnapshot, type SnapshotRead } from './availability-snapshot.js';
import { AvailabilityStream } from './availability-stream.js';
import { BestAvailablePicker } from './best-available-picker.js';
import { HoldsService } from './holds.service.js';
import { findCurrentHold, eventsWithActiveHolds } from './holds.repo.js';
import { inventoryMetrics, type InventoryMetrics } from './inventory.metrics.js';
import { countByStatus, type SeatChange } from './inventory.repo.js';
import { RedisBreaker, SeatLocks } from './seat-locks.js';
import { SeatmapCache, type Layout } from './seatmap-cache.js';

export { SeatsUnavailableError, toHold } from './holds.service.js';

/** The browser session and account taking a hold. */
export interface Shopper {
  userId: string;
  sessionId: string;
}

/** The event facts the hold path pre-checks (phase 2 re-decides "on sale" in SQL). */
export interface SaleFacts {
  id: string;
  highDemand: boolean;
  currency: string;
  maxTicketsPerUser: number;
  onSaleAt: Date;
  cancelled: boolean;
  /** Decided by the events module's rule. */
  onSale: boolean;
}

/** What the inventory needs from other modules (built by the composition root). */
export interface InventoryPorts {
  /** The waiting room: throws when a high-demand event's shopper was not admitted. */
  queue: { assertAdmitted(event: { id: string; highDemand: boolean }, who: Shopper): Promise<void> };
  /** The event's sale facts, or null when there is no such event. */
  events: { saleFacts(eventId: string): Promise<SaleFacts | null> };
}

/** How long on-sale facts are reused by the hold path (a pre-check only: phase 2 re-checks in SQL). */
const SALE_FACTS_TTL_MS = 1_000;

/**
 * The seat inventory's facade: the public reads (seat map, availability snapshot, stream), holds
 * (HoldsService: two-phase take, release, expiry; BestAvailablePicker), and the after-commit
 * calls other modules make (applySeatChanges, releaseLocks). Writes other modules make inside
 * their own transactions go through seat-ledger.ts.
 */
export class InventoryService {
  readonly metrics: InventoryMetrics;
  readonly breaker: RedisBreaker;
  readonly locks: SeatLocks;
  readonly snapshot: AvailabilitySnapshot;
  readonly stream: AvailabilityStream;
  readonly seatmaps: SeatmapCache;
  readonly holds: HoldsService;
  private readonly picker: BestAvailablePicker;
  /** Only on-sale answers are kept: an event about to open is asked again on every hold. */
  private readonly onSaleFacts = new LRUCache<string, SaleFacts>({ max: 1000, ttl: SALE_FACTS_TTL_MS });

  constructor(
    private readonly deps: AppDeps,
    private readonly ports: InventoryPorts,
    clock: () => number = Date.now,
  ) {
    const channel = `${deps.env.REDIS_KEY_PREFIX}inv:changes`;
    this.metrics = inventoryMetrics(deps.metrics.registry);
    this.breaker = new RedisBreaker(deps.redis);
    this.locks = new SeatLocks(deps.redis, this.breaker, this.metrics, deps.logger);
    this.stream = new AvailabilityStream(deps.redis, channel, deps.logger);
    this.snapshot = new AvailabilitySnapshot(deps.redis, deps.db, this.breaker, channel, this.metrics, deps.logger, this.stream);
    this.seatmaps = new SeatmapCache(deps.db);
    this.holds = new HoldsService(deps, this.locks, this.snapshot, this.metrics, clock);
    this.picker = new BestAvailablePicker(clock);
    deps.readinessDetails.inventoryRedis = () => this.breaker.state;
  }

  // ---------------------------------------------------------------- seat map & availability

  /** The seat map (cached per layout version); 404 when the event does not exist. */
  async seatmap(eventId: string): Promise<Layout> {
    const layout = await this.seatmaps.get(eventId);
    if (!layout) throw new NotFoundError('Event');
    return layout;
  }

  /** The availability snapshot; `known` is the version the client already has (→ not_modified). 404 for an unknown event. */
  async availability(eventId: string, known?: number): Promise<SnapshotRead> {
    const r = await this.snapshot.read(eventId, known);
    if (r.kind === 'no_seats') {
      // Either no such event or an event without seats; tell them apart only on this rare path.
      if ((await this.seatmaps.version(eventId)) == null) throw new NotFoundError('Event');
    }
    return r;
  }

  // ---------------------------------------------------------------- interface for other modules

  /**
   * Tell the availability snapshot (and every SSE client) that seats changed. Call it AFTER your
   * transaction committed, with each changed seat's `seat_index` and new status
   * ('a' available, 'h' held, 's' sold); e.g. checkout after selling: `[[12, 's'], [13, 's']]`.
   * Never throws: if Redis is down or the snapshot is missing it logs, and the snapshot is
   * rebuilt/reconciled from PostgreSQL later.
   */
  async applySeatChanges(eventId: string, changes: SeatChange[]): Promise<void> {
    await this.snapshot.apply(eventId, changes);
  }

  /**
   * Delete the phase-1 Redis seat locks of a hold. `token` is the hold id; only locks still
   * carrying that token are deleted (compare-and-delete), so a later hold's locks are never
   * removed. Call it AFTER commit when a hold ends outside this module (e.g. checkout converted
   * it). Never throws; a lock left behind expires by itself (hold TTL + margin).
   */
  async releaseLocks(eventId: string, token: string, seatIds: string[]): Promise<void> {
    await this.locks.release(eventId, token, seatIds);
  }

  /**
   * Seat counts of an event by status: from the Redis snapshot when present (cheap), else
   * counted in PostgreSQL. Eventually consistent. Unknown event → all zero.
   */
  async salesCounts(eventId: string): Promise<{ available: number; held: number; sold: number }> {
    return (await this.snapshot.counts(eventId)) ?? countByStatus(this.deps.db, eventId);
  }

  // ---------------------------------------------------------------- holds

  private async saleFacts(eventId: string): Promise<SaleFacts | null> {
    const hit = this.onSaleFacts.get(eventId);
    if (hit) return hit;
    const facts = await this.ports.events.saleFacts(eventId);
    if (facts?.onSale) this.onSaleFacts.set(eventId, facts);
    return facts;
  }

  /** POST /events/:eventId/holds — explicit seats or best available. */
  async createHold(eventId: string, who: Shopper, input: HoldInput): Promise<Hold> {
    const event = await this.saleFacts(eventId);
    if (!event) throw new NotFoundError('Event');
    if (!event.onSale) {
      throw new ConflictError(
        event.cancelled ? 'This event is cancelled.' : event.onSaleAt.getTime() > Date.now() ? 'Sales have not started yet.' : 'Sales for this event have ended.',
        'event_not_on_sale',
      );
    }
    await this.ports.queue.assertAdmitted(event, who);
    return withSpan('inventory.hold', async () => {
      if ('seatIds' in input) {
        const taken = await this.holds.take(event, who, input.seatIds);
        this.picker.noteHeld(event.id, taken.held, taken.freed);
        return taken.hold;
      }
      const taken = await this.picker.pickAndHold(event.id, who.userId, input, {
        layout: (id) => this.seatmap(id),
        snapshot: (id) => this.snapshot.read(id),
        ownHeld: async (userId, id) => (await findCurrentHold(this.deps.db, userId, id))?.seats.map((s) => s.index) ?? [],
        take: (seatIds) => this.holds.take(event, who, seatIds),
      });
      return taken.hold;
    });
  }

  /** GET /holds/current — the user's active unexpired hold (on that event when given), or 404. */
  currentHold(userId: string, eventId?: string): Promise<Hold> {
    return this.holds.current(userId, eventId);
  }

  /** DELETE /holds/:holdId — own active hold only (others' → 404); seats free at once. */
  async releaseHold(userId: string, holdId: string): Promise<void> {
    const { eventId, freed } = await this.holds.release(userId, holdId);
    this.picker.noteHeld(eventId, [], freed);
  }

  /** Expire due holds in batches (the hold-expiry worker); returns how many holds were expired. */
  expireDueHolds(batchSize = 200, maxBatches = 10): Promise<number> {
    return this.holds.expireDue(batchSize, maxBatches);
  }

  /**
   * Reconcile the snapshots of events changed through this process, plus (when `sweep`) every
   * event with active holds — that also heals changes lost by a process that crashed between
   * its commit and its Redis update, or changed the event on another instance.
   */
  async reconcileSnapshots(sweep: boolean): Promise<number> {
    if (sweep) this.snapshot.markDirty(await eventsWithActiveHolds(this.deps.db, 50));
    return this.snapshot.reconcileDirty();
  }

  /**
   * End open SSE streams and stop the Redis subscriber. Call on shutdown BEFORE `server.close()`:
   * an open event stream is never idle, so it would otherwise hold the server open.
   */
  async close(): Promise<void> {
    await this.stream.close();
  }
}
