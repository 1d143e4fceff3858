import { randomUUID } from 'node:crypto';
import type { Hold, HoldInput } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.js';
import { withSpan } from '../../platform/spans.js';
import { findEventSaleInfo, type EventSaleInfo } from '../events/event-sale.repo.js';
import type { QueueService, Shopper } from '../queue/queue.service.js';
import { AvailabilitySnapshot, type SnapshotRead } from './availability-snapshot.js';
import { AvailabilityStream } from './availability-stream.js';
import { pickBestAvailable } from './best-available.js';
import { inventoryMetrics, type InventoryMetrics } from './inventory.metrics.js';
import {
  countByStatus,
  eventsWithActiveHolds,
  endHolds,
  findActiveHoldOwners,
  findCurrentHold,
  insertHoldAndMarkSeats,
  lockExpiredHolds,
  releaseOwnHold,
  lockForHold,
  holdInOneStatement,
  type HoldLocks,
  releaseHoldSeats,
  type HoldRow,
  type ReleasedSeat,
  type SeatChange,
} from './inventory.repo.js';
import { RedisBreaker, SeatLocks } from './seat-locks.js';
import { SeatmapCache, type Layout } from './seatmap-cache.js';

/** 409 seats_unavailable with the seats that were taken (all-or-nothing: nothing was held). */
export class SeatsUnavailableError extends AppError {
  constructor(unavailableSeatIds: string[], message = 'Some of those seats are no longer available.') {
    super(409, 'seats_unavailable', message, { unavailableSeatIds });
  }
}

/** A Redis lock older than this whose token is no active hold is left over (crash, lost release). */
const STALE_LOCK_AGE_MS = 10_000;
/** Redis seat locks outlive the hold by this margin; checkout may push the hold's expiry forward by its grace. */
const LOCK_MARGIN_MS = 120_000;
/** How long event facts (on-sale window, high demand, limits) are reused by the hold path. */
const SALE_INFO_TTL_MS = 1_000;
/**
 * Best available: picks per request, and how many equally good disjoint blocks each attempt
 * chooses among (randomly, weighted toward the best). The first attempt takes the single best
 * block when this process has no other best-available request for the event in flight (a lone
 * fan gets the best seats), else spreads over 8. A conflict costs one Redis round trip, so
 * re-picking is cheap; the spread widens as attempts fail (more contention → spread more).
 */
const BEST_AVAILABLE_SPREAD = [8, 8, 16, 32, 64, 128] as const;
/**
 * Best available skips seats this process held this recently even where its snapshot copy
 * still shows them available: a snapshot read that was answered just before a hold's update
 * landed is stale for exactly those seats, and under load a picker kept walking into them.
 */
const RECENT_HOLD_MS = 2_000;

/**
 * The seat inventory: seat map, availability snapshot, two-phase holds (Redis seat locks, then
 * PostgreSQL row locks — PostgreSQL is the truth), release and expiry.
 */
export class InventoryService {
  readonly metrics: InventoryMetrics;
  readonly breaker: RedisBreaker;
  readonly locks: SeatLocks;
  readonly snapshot: AvailabilitySnapshot;
  readonly stream: AvailabilityStream;
  readonly seatmaps: SeatmapCache;
  private readonly holdTtlSeconds: number;
  /** Hold, release and expiry writes (asynchronous commit when HOLD_COMMIT=async; see AppDeps.holdsDb). */
  private readonly holdsDb: AppDeps['db'];
  private readonly saleInfoCache = new Map<string, { at: number; info: EventSaleInfo }>();
  /** Best available: seat indices (→ number of requests) being tried right now by this process, per event. */
  private readonly pendingPicks = new Map<string, Map<number, number>>();
  /** Best-available requests in flight in this process, per event. */
  private readonly bestAvailableInFlight = new Map<string, number>();
  /** Seats held through this process in the last RECENT_HOLD_MS, per event: seat index → when. */
  private readonly recentHolds = new Map<string, Map<number, number>>();

  constructor(
    private readonly deps: AppDeps,
    private readonly queue: Pick<QueueService, 'assertAdmitted'>,
  ) {
    const channel = `${deps.env.REDIS_KEY_PREFIX}inv:changes`;
    this.metrics = inventoryMetrics(deps.metrics.registry);
    this.breaker = new RedisBreaker(deps.redis);
    this.locks = new SeatLocks(deps.redis, this.breaker, this.metrics, deps.logger);
    this.stream = new AvailabilityStream(deps.redis, channel, deps.logger);
    this.snapshot = new AvailabilitySnapshot(deps.redis, deps.db, this.breaker, channel, this.metrics, deps.logger, this.stream);
    this.seatmaps = new SeatmapCache(deps.db);
    this.holdTtlSeconds = deps.env.HOLD_TTL_SECONDS;
    this.holdsDb = deps.holdsDb ?? deps.db;
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
   * it: the sold seats are refused by PostgreSQL anyway, this just frees the keys early).
   * Never throws; a lock left behind expires by itself (hold TTL + margin).
   */
  async releaseLocks(eventId: string, token: string, seatIds: string[]): Promise<void> {
    await this.locks.release(eventId, token, seatIds);
  }

  /**
   * Seat counts of an event by status: from the Redis snapshot when present (cheap), else
   * counted in PostgreSQL. Eventually consistent (a change is visible once its committer called
   * applySeatChanges). Unknown event → all zero.
   */
  async salesCounts(eventId: string): Promise<{ available: number; held: number; sold: number }> {
    return (await this.snapshot.counts(eventId)) ?? countByStatus(this.deps.db, eventId);
  }

  // ---------------------------------------------------------------- holds

  /**
   * Event facts for the hold path, cached in process for a second (saves a round trip per hold).
   * Only a pre-check: phase 2 re-checks "on sale" inside its transaction.
   */
  private async saleInfo(eventId: string): Promise<EventSaleInfo | null> {
    const hit = this.saleInfoCache.get(eventId);
    let info: EventSaleInfo | null;
    if (hit && Date.now() - hit.at < SALE_INFO_TTL_MS) info = hit.info;
    else {
      info = await findEventSaleInfo(this.deps.db, eventId);
      if (info) {
        this.saleInfoCache.set(eventId, { at: Date.now(), info });
        if (this.saleInfoCache.size > 1000) this.saleInfoCache.delete(this.saleInfoCache.keys().next().value!);
      }
    }
    if (!info) return null;
    const now = Date.now();
    return { ...info, onSale: !info.cancelled && info.onSaleAt.getTime() <= now && info.startsAt.getTime() > now };
  }

  /** POST /events/:eventId/holds — explicit seats or best available. */
  async createHold(eventId: string, who: Shopper, input: HoldInput): Promise<Hold> {
    const event = await this.saleInfo(eventId);
    if (!event) throw new NotFoundError('Event');
    if (!event.onSale) {
      throw new ConflictError(
        event.cancelled ? 'This event is cancelled.' : event.onSaleAt > new Date() ? 'Sales have not started yet.' : 'Sales for this event have ended.',
        'event_not_on_sale',
      );
    }
    await this.queue.assertAdmitted(event, who);
    return withSpan('inventory.hold', () => ('seatIds' in input ? this.hold(event, who, input.seatIds) : this.holdBestAvailable(event, who, input)));
  }

  private async holdBestAvailable(event: EventSaleInfo, who: Shopper, input: Extract<HoldInput, { quantity: number }>): Promise<Hold> {
    const layout = await this.seatmap(event.id);
    const indexById = seatIndexById(layout);
    // The user's own held seats count as free for them (a new hold replaces the old one).
    const own = await findCurrentHold(this.deps.db, who.userId, event.id);
    const ownIdx = new Set(own?.seats.map((s) => s.index) ?? []);
    const inFlight = (this.bestAvailableInFlight.get(event.id) ?? 0) + 1;
    this.bestAvailableInFlight.set(event.id, inFlight);
    try {
      return await this.pickAndHold(event, who, input, layout, indexById, ownIdx, inFlight > 1);
    } finally {
      const n = (this.bestAvailableInFlight.get(event.id) ?? 1) - 1;
      if (n > 0) this.bestAvailableInFlight.set(event.id, n);
      else this.bestAvailableInFlight.delete(event.id);
    }
  }

  private async pickAndHold(
    event: EventSaleInfo,
    who: Shopper,
    input: Extract<HoldInput, { quantity: number }>,
    layout: Layout,
    indexById: Map<string, number>,
    ownIdx: Set<number>,
    contended: boolean,
  ): Promise<Hold> {
    const taken = new Set<number>();
    for (const [attempt, max] of BEST_AVAILABLE_SPREAD.entries()) {
      const spread = attempt === 0 && !contended ? 1 : max;
      // The in-process snapshot copy can trail other instances by a few ms (≤ 1 s if a pub/sub
      // message is lost): `taken` keeps every seat an earlier attempt of this request found locked,
      // and seats other best-available requests of THIS process are trying right now are avoided.
      const snap = await this.snapshot.read(event.id);
      if (snap.kind !== 'body') throw new SeatsUnavailableError([], 'No seats match.');
      const st = snap.statuses;
      const pending = this.pendingPicks.get(event.id);
      const free = (i: number) => !taken.has(i) && (st[i] === 97 /* a */ || ownIdx.has(i));
      const recent = this.recentlyHeld(event.id);
      const settled = recent ? (i: number) => free(i) && (!recent.has(i) || ownIdx.has(i)) : free;
      const pick =
        (pending && pickBestAvailable(layout.rows, (i) => settled(i) && !pending.has(i), input, { spread })) ||
        // everything left is being tried by someone else here: try anyway (one of them may fail)
        pickBestAvailable(layout.rows, settled, input, { spread }) ||
        // only seats held here a moment ago are left: one may have been released meanwhile elsewhere
        (recent ? pickBestAvailable(layout.rows, free, input, { spread }) : null);
      if (!pick) throw new SeatsUnavailableError([], 'No available seats match that request.');
      const idx = pick.map((s) => s.index);
      this.markPending(event.id, idx, 1);
      try {
        return await this.hold(event, who, pick.map((s) => s.id));
      } catch (err) {
        if (!(err instanceof SeatsUnavailableError)) throw err;
        const ids = (err.extra.unavailableSeatIds as string[]).length ? (err.extra.unavailableSeatIds as string[]) : pick.map((s) => s.id);
        for (const id of ids) taken.add(indexById.get(id)!);
      } finally {
        // After a success this process reads the snapshot behind its own update (see AvailabilitySnapshot.apply).
        this.markPending(event.id, idx, -1);
      }
    }
    throw new SeatsUnavailableError([], 'Seats are selling fast; no matching seats could be held. Try again.');
  }

  /** Seat indices held through this process within RECENT_HOLD_MS (pruned as it goes), or null. */
  private recentlyHeld(eventId: string): Map<number, number> | null {
    const m = this.recentHolds.get(eventId);
    if (!m) return null;
    // Entries are kept in time order (noteRecent re-inserts), so only the expired head is visited.
    const cutoff = Date.now() - RECENT_HOLD_MS;
    for (const [i, at] of m) {
      if (at >= cutoff) break;
      m.delete(i);
    }
    if (!m.size) {
      this.recentHolds.delete(eventId);
      return null;
    }
    return m;
  }

  private noteRecent(eventId: string, held: number[], freed: number[]): void {
    let m = this.recentlyHeld(eventId); // prunes: the map keeps only the last RECENT_HOLD_MS
    if (!m && !held.length) return;
    if (!m) this.recentHolds.set(eventId, (m = new Map()));
    for (const i of freed) m.delete(i);
    const now = Date.now();
    for (const i of held) {
      m.delete(i);
      m.set(i, now);
    }
    if (!m.size) this.recentHolds.delete(eventId);
  }

  private markPending(eventId: string, idx: number[], delta: 1 | -1): void {
    let m = this.pendingPicks.get(eventId);
    if (!m) this.pendingPicks.set(eventId, (m = new Map()));
    for (const i of idx) {
      const n = (m.get(i) ?? 0) + delta;
      if (n > 0) m.set(i, n);
      else m.delete(i);
    }
    if (!m.size) this.pendingPicks.delete(eventId);
  }

  /** Two-phase hold of exactly these seats. */
  private async hold(event: EventSaleInfo, who: Shopper, seatIds: string[]): Promise<Hold> {
    const started = process.hrtime.bigint();
    const observe = (result: string) => this.metrics.holdSeconds.observe({ result }, Number(process.hrtime.bigint() - started) / 1e9);
    const holdId = randomUUID();
    const lockTtlMs = this.holdTtlSeconds * 1000 + LOCK_MARGIN_MS;

    // Phase 1: Redis, all-or-nothing, fast refusal under contention. The user's own locks are
    // taken over inside the script (phase 2 checks the rows anyway).
    let lock = await this.locks.acquire(event.id, seatIds, holdId, who.userId, lockTtlMs);
    if (lock.kind === 'conflict') {
      // A lock younger than STALE_LOCK_AGE_MS belongs to a hold being taken or just taken: refuse
      // at once — the conflict is answered by this one Redis round trip, PostgreSQL is not asked.
      const young = lock.taken.filter((t) => t.pttl < 0 || t.pttl >= lockTtlMs - STALE_LOCK_AGE_MS);
      if (young.length) {
        this.metrics.holdConflicts.inc({ phase: 'redis' });
        observe('conflict');
        throw new SeatsUnavailableError(lock.taken.map((t) => t.seatId));
      }
      // Only older locks of other users: left over from a dead hold (crash, lost release,
      // converted hold) unless their token is still an active hold — ask PostgreSQL.
      const owners = await findActiveHoldOwners(this.deps.db, [...new Set(lock.taken.map((t) => t.token))].filter(isUuid));
      const overwritable: string[] = [];
      const blocked: string[] = [];
      for (const t of lock.taken) {
        const owner = owners.get(t.token);
        if (owner && owner.userId === who.userId && owner.eventId === event.id) overwritable.push(t.token);
        else if (!owner) overwritable.push(t.token);
        else blocked.push(t.seatId);
      }
      if (blocked.length) {
        this.metrics.holdConflicts.inc({ phase: 'redis' });
        observe('conflict');
        throw new SeatsUnavailableError(blocked);
      }
      lock = await this.locks.acquire(event.id, seatIds, holdId, who.userId, lockTtlMs, [...new Set(overwritable)]);
      if (lock.kind === 'conflict') {
        this.metrics.holdConflicts.inc({ phase: 'redis' });
        observe('conflict');
        throw new SeatsUnavailableError(lock.taken.map((t) => t.seatId));
      }
    }

    // Phase 2: PostgreSQL, one short transaction; any failure frees the Redis locks.
    let outcome: Awaited<ReturnType<InventoryService['holdTx']>>;
    try {
      outcome = await this.phase2(event, who, holdId, seatIds);
    } catch (err) {
      await this.locks.release(event.id, holdId, seatIds);
      const code = (err as { code?: string }).code;
      if (code === '55P03') {
        // NOWAIT: another transaction holds one of these rows (or this user's hold) right now.
        this.metrics.holdConflicts.inc({ phase: 'postgres' });
        observe('conflict');
        throw new SeatsUnavailableError(seatIds, 'Those seats are being taken by someone else.');
      }
      if (err instanceof SeatsUnavailableError) this.metrics.holdConflicts.inc({ phase: 'postgres' });
      observe(err instanceof AppError ? err.code : 'error');
      throw err;
    }

    // After commit: snapshot + publish, free the replaced hold's locks. Fire and forget: both
    // commands are written to Redis before we answer (so this process's next availability read
    // is queued behind the update — the client sees its own hold), neither ever throws, and a
    // lost update is healed by the reconcile pass. Saves one Redis round trip per hold.
    const { row, released, replaced } = outcome;
    const newIdx = new Set(row.seats.map((s) => s.index));
    const changes: SeatChange[] = released.filter((s) => !newIdx.has(s.index)).map((s) => [s.index, 'a']);
    for (const s of row.seats) changes.push([s.index, 'h']);
    void this.snapshot.apply(event.id, changes);
    this.noteRecent(event.id, [...newIdx], released.map((s) => s.index));
    if (replaced) {
      const kept = new Set(seatIds);
      void this.locks.release(
        event.id,
        replaced.id,
        released.map((s) => s.id).filter((id) => !kept.has(id)),
      );
      this.metrics.seatsReleased.inc({ reason: 'replaced' }, released.length);
      this.metrics.holdLifetime.observe({ ended: 'replaced' }, (Date.now() - replaced.createdAt.getTime()) / 1000);
    }
    this.metrics.seatsReserved.inc(row.seats.length);
    observe('ok');
    return toHold(row);
  }

  /**
   * Phase 2: first the one-statement hold (no previous hold: 1 round trip, no BEGIN/COMMIT);
   * when the user has a hold to replace, or two sessions of the user raced (unique violation),
   * the transaction path.
   */
  private async phase2(event: EventSaleInfo, who: Shopper, holdId: string, seatIds: string[]) {
    let fast: Awaited<ReturnType<typeof holdInOneStatement>>;
    try {
      fast = await holdInOneStatement(this.holdsDb, {
        id: holdId,
        eventId: event.id,
        userId: who.userId,
        sessionId: who.sessionId,
        ttlSeconds: this.holdTtlSeconds,
        seatIds,
        maxTickets: event.maxTicketsPerUser,
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') return this.holdTxWithRetry(event, who, holdId, seatIds);
      throw err;
    }
    if (fast.prevHold) return this.holdTxWithRetry(event, who, holdId, seatIds);
    if (!fast.inserted) {
      checkHold(fast, seatIds, event.maxTicketsPerUser);
      throw new Error(`hold ${holdId}: not inserted although every check passed`);
    }
    if (fast.inserted.marked !== seatIds.length) {
      // Cannot happen (the seats were locked and seen available in the same statement); undo rather than keep a partial hold.
      await withTransaction(this.holdsDb, async (tx) => {
        await releaseHoldSeats(tx, [holdId]);
        await endHolds(tx, [holdId], 'released');
      });
      this.deps.logger.error({ holdId, marked: fast.inserted.marked, wanted: seatIds.length }, 'partial hold undone');
      throw new SeatsUnavailableError(seatIds);
    }
    const row: HoldRow = {
      id: holdId,
      eventId: event.id,
      userId: who.userId,
      currency: event.currency,
      expiresAt: fast.inserted.expiresAt,
      seats: fast.seats.map((s) => ({ id: s.id, index: s.index, section: s.section, row: s.row, number: s.number, priceCents: s.priceCents })),
    };
    return { row, released: [] as ReleasedSeat[], replaced: null as { id: string; createdAt: Date } | null };
  }

  /** The unique index on active holds can race when one user holds from two sessions at once; the retry replaces the winner's hold. */
  private async holdTxWithRetry(event: EventSaleInfo, who: Shopper, holdId: string, seatIds: string[]) {
    try {
      return await this.holdTx(event, who, holdId, seatIds);
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      return this.holdTx(event, who, holdId, seatIds);
    }
  }

  private holdTx(event: EventSaleInfo, who: Shopper, holdId: string, seatIds: string[]) {
    return withTransaction(this.holdsDb, async (tx) => {
      // Lock order everywhere: hold row, then seat rows. NOWAIT on both: never queue, never deadlock.
      const locks = await lockForHold(tx, event.id, who.userId, seatIds);
      const { prevHold: prev, seats } = locks;
      checkHold(locks, seatIds, event.maxTicketsPerUser);
      let released: ReleasedSeat[] = [];
      if (prev) {
        released = await releaseHoldSeats(tx, [prev.id]);
        await endHolds(tx, [prev.id], 'replaced');
      }
      const { expiresAt, marked } = await insertHoldAndMarkSeats(tx, {
        id: holdId,
        eventId: event.id,
        userId: who.userId,
        sessionId: who.sessionId,
        ttlSeconds: this.holdTtlSeconds,
        seatIds,
      });
      if (marked !== seatIds.length) throw new Error(`hold ${holdId}: marked ${marked} of ${seatIds.length} seats`);
      const row: HoldRow = {
        id: holdId,
        eventId: event.id,
        userId: who.userId,
        currency: event.currency,
        expiresAt,
        seats: seats.map((s) => ({ id: s.id, index: s.index, section: s.section, row: s.row, number: s.number, priceCents: s.priceCents })),
      };
      return { row, released, replaced: prev };
    });
  }

  /** GET /holds/current — the user's active unexpired hold (on that event when given), or 404. */
  async currentHold(userId: string, eventId?: string): Promise<Hold> {
    const row = await findCurrentHold(this.deps.db, userId, eventId);
    if (!row) throw new NotFoundError('Hold');
    return toHold(row);
  }

  /** DELETE /holds/:holdId — own active hold only (others' → 404); seats free at once. */
  async releaseHold(userId: string, holdId: string): Promise<void> {
    const result = await releaseOwnHold(this.holdsDb, holdId, userId);
    if (!result) throw new NotFoundError('Hold');
    const { hold, seats } = result;
    // Fire and forget (as after a hold): the Redis commands are sent before we answer.
    void this.afterRelease(hold.eventId, hold.id, seats);
    this.noteRecent(hold.eventId, [], seats.map((s) => s.index));
    this.metrics.seatsReleased.inc({ reason: 'released' }, seats.length);
    this.metrics.holdLifetime.observe({ ended: 'released' }, (Date.now() - hold.createdAt.getTime()) / 1000);
  }

  /** Snapshot + unlock after a release/expiry commit; both commands are written before this awaits either. Never throws. */
  private async afterRelease(eventId: string, holdId: string, seats: ReleasedSeat[]): Promise<void> {
    await Promise.all([
      this.snapshot.apply(
        eventId,
        seats.map((s) => [s.index, 'a']),
      ),
      this.locks.release(
        eventId,
        holdId,
        seats.map((s) => s.id),
      ),
    ]);
  }

  /**
   * Expire due holds in batches; safe with every instance running it (SKIP LOCKED). Touches only
   * active holds past expires_at, locking the hold row first (checkout's order too).
   * Returns how many holds were expired.
   */
  async expireDueHolds(batchSize = 200, maxBatches = 10): Promise<number> {
    let total = 0;
    for (let b = 0; b < maxBatches; b++) {
      const done = await withTransaction(this.holdsDb, async (tx) => {
        const holds = await lockExpiredHolds(tx, batchSize);
        if (!holds.length) return { holds, seats: [] as ReleasedSeat[] };
        const ids = holds.map((h) => h.id);
        const seats = await releaseHoldSeats(tx, ids);
        await endHolds(tx, ids, 'expired');
        return { holds, seats };
      });
      for (const h of done.holds) this.metrics.holdLifetime.observe({ ended: 'expired' }, (Date.now() - h.createdAt.getTime()) / 1000);
      const byHold = new Map<string, ReleasedSeat[]>();
      for (const s of done.seats) byHold.set(s.holdId, [...(byHold.get(s.holdId) ?? []), s]);
      for (const h of done.holds) await this.afterRelease(h.eventId, h.id, byHold.get(h.id) ?? []);
      this.metrics.seatsExpired.inc(done.seats.length);
      total += done.holds.length;
      if (done.holds.length < batchSize) break;
    }
    return total;
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

/** Phase 2's rules on the locked facts; throws the answer when the hold may not be taken. */
function checkHold(locks: HoldLocks, seatIds: string[], maxTickets: number): void {
  if (!locks.onSale) throw new ConflictError('This event is not on sale.', 'event_not_on_sale');
  const prev = locks.prevHold;
  const found = new Set(locks.seats.map((s) => s.id));
  const unavailable = seatIds.filter((id) => !found.has(id));
  for (const s of locks.seats) {
    if (!(s.status === 'available' || (s.status === 'held' && prev && s.holdId === prev.id))) unavailable.push(s.id);
  }
  if (unavailable.length) throw new SeatsUnavailableError(unavailable);
  if (locks.userSold + seatIds.length > maxTickets) {
    throw new ConflictError(`At most ${maxTickets} tickets per person for this event (you have ${locks.userSold}).`, 'ticket_limit');
  }
}

/** seat id → seat_index of a layout, built once per cached layout. */
const indexByIdCache = new WeakMap<Layout, Map<string, number>>();
function seatIndexById(layout: Layout): Map<string, number> {
  let m = indexByIdCache.get(layout);
  if (!m) {
    m = new Map();
    for (const row of layout.rows) for (const s of row.seats) m.set(s.id, s.index);
    indexByIdCache.set(layout, m);
  }
  return m;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** Row → the shared `Hold` response. */
export function toHold(row: HoldRow): Hold {
  return {
    id: row.id,
    eventId: row.eventId,
    seats: row.seats.map((s) => ({ id: s.id, section: s.section, row: s.row, number: s.number, priceCents: s.priceCents })),
    totalCents: row.seats.reduce((sum, s) => sum + s.priceCents, 0),
    currency: row.currency,
    expiresAt: row.expiresAt.toISOString(),
  };
}
