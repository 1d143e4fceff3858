import { randomUUID } from 'node:crypto';
import type { Hold } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.js';
import type { AvailabilitySnapshot } from './availability-snapshot.js';
import type { InventoryMetrics } from './inventory.metrics.js';
import type { SeatChange } from './inventory.repo.js';
import {
  endHolds,
  findActiveHoldOwners,
  findCurrentHold,
  lockExpiredHolds,
  releaseHoldSeats,
  releaseOwnHold,
  takeHold,
  type HoldOutcome,
  type HoldRow,
  type ReleasedSeat,
} from './holds.repo.js';
import type { SeatLocks } from './seat-locks.js';

/** 409 seats_unavailable with the seats that were taken (all-or-nothing: nothing was held). */
export class SeatsUnavailableError extends AppError {
  constructor(unavailableSeatIds: string[], message = 'Some of those seats are no longer available.') {
    super(409, 'seats_unavailable', message, { unavailableSeatIds });
  }
}

/** What the hold path needs to know about the event (a pre-checked, possibly cached fact set). */
export interface HoldEvent {
  id: string;
  currency: string;
  maxTicketsPerUser: number;
}

/** A hold just taken, with the seats it changed (for the picker's contention state). */
export interface TakenHold {
  hold: Hold;
  held: number[];
  freed: number[];
}

/** A Redis lock older than this whose token is no active hold is left over (crash, lost release). */
const STALE_LOCK_AGE_MS = 10_000;
/** Redis seat locks outlive the hold by this margin; checkout may push the hold's expiry forward by its grace. */
const LOCK_MARGIN_MS = 120_000;

/**
 * Holds: the two-phase take (ADR 0001 — Redis seat locks, then ONE PostgreSQL statement that
 * decides and returns the reason for a refusal), release by the owner, and expiry.
 */
export class HoldsService {
  private readonly holdsDb: AppDeps['db'];

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'holdsDb' | 'logger' | 'env'>,
    private readonly locks: SeatLocks,
    private readonly snapshot: AvailabilitySnapshot,
    private readonly metrics: InventoryMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.holdsDb = deps.holdsDb ?? deps.db;
  }

  private get ttlSeconds(): number {
    return this.deps.env.HOLD_TTL_SECONDS;
  }

  /** Two-phase hold of exactly these seats (replacing the user's previous hold on the event). */
  async take(event: HoldEvent, who: { userId: string; sessionId: string }, seatIds: string[]): Promise<TakenHold> {
    const started = process.hrtime.bigint();
    const observe = (result: string) => this.metrics.holdSeconds.observe({ result }, Number(process.hrtime.bigint() - started) / 1e9);
    const holdId = randomUUID();
    const lockTtlMs = this.ttlSeconds * 1000 + LOCK_MARGIN_MS;
    const conflict = (seats: string[], phase: 'redis' | 'postgres', message?: string) => {
      this.metrics.holdConflicts.inc({ phase });
      observe('conflict');
      return new SeatsUnavailableError(seats, message);
    };

    // Phase 1: Redis, all-or-nothing, fast refusal under contention. The user's own locks are
    // taken over inside the script (phase 2 checks the rows anyway).
    let lock = await this.locks.acquire(event.id, seatIds, holdId, who.userId, lockTtlMs);
    if (lock.kind === 'conflict') {
      // A lock younger than STALE_LOCK_AGE_MS belongs to a hold being taken or just taken: refuse
      // at once — answered by this one Redis round trip, PostgreSQL is not asked.
      if (lock.taken.some((t) => t.pttl < 0 || t.pttl >= lockTtlMs - STALE_LOCK_AGE_MS)) throw conflict(lock.taken.map((t) => t.seatId), 'redis');
      // Only older locks: left over from a dead hold unless their token is still an active hold of someone else.
      const owners = await findActiveHoldOwners(this.deps.db, [...new Set(lock.taken.map((t) => t.token))].filter(isUuid));
      const overwritable = new Set<string>();
      const blocked: string[] = [];
      for (const t of lock.taken) {
        const owner = owners.get(t.token);
        if (!owner || (owner.userId === who.userId && owner.eventId === event.id)) overwritable.add(t.token);
        else blocked.push(t.seatId);
      }
      if (blocked.length) throw conflict(blocked, 'redis');
      lock = await this.locks.acquire(event.id, seatIds, holdId, who.userId, lockTtlMs, [...overwritable]);
      if (lock.kind === 'conflict') throw conflict(lock.taken.map((t) => t.seatId), 'redis');
    }

    // Phase 2: PostgreSQL, one statement; any failure frees the Redis locks.
    let outcome: HoldOutcome;
    try {
      outcome = await this.phase2(event, who, holdId, seatIds);
      this.refuse(outcome, seatIds, event.maxTicketsPerUser);
    } catch (err) {
      await this.locks.release(event.id, holdId, seatIds);
      // NOWAIT: another transaction holds one of these rows (or this user's hold) right now.
      if ((err as { code?: string }).code === '55P03') throw conflict(seatIds, 'postgres', 'Those seats are being taken by someone else.');
      if (err instanceof SeatsUnavailableError) this.metrics.holdConflicts.inc({ phase: 'postgres' });
      observe(err instanceof AppError ? err.code : 'error');
      throw err;
    }
    const inserted = outcome.inserted!;
    if (inserted.marked !== seatIds.length) {
      // Cannot happen (the seats were locked and found eligible in the same statement); undo rather than keep a partial hold.
      await withTransaction(this.holdsDb, async (tx) => {
        await releaseHoldSeats(tx, [holdId]);
        await endHolds(tx, [holdId], 'released');
      });
      this.deps.logger.error({ holdId, marked: inserted.marked, wanted: seatIds.length }, 'partial hold undone');
      throw new SeatsUnavailableError(seatIds);
    }

    // After commit: snapshot + publish, free the replaced hold's locks. Fire and forget: both
    // commands are written to Redis before we answer (so this process's next availability read
    // is queued behind the update), neither ever throws, and a lost update is healed by the
    // reconcile pass.
    const held = outcome.seats.map((s) => s.index);
    const changes: SeatChange[] = outcome.freed.map((s) => [s.index, 'a']);
    for (const i of held) changes.push([i, 'h']);
    void this.snapshot.apply(event.id, changes);
    const prev = outcome.prevHold;
    if (prev) {
      void this.locks.release(event.id, prev.id, outcome.freed.map((s) => s.id));
      this.metrics.seatsReleased.inc({ reason: 'replaced' }, outcome.freed.length);
      this.metrics.holdLifetime.observe({ ended: 'replaced' }, (this.now() - prev.createdAt.getTime()) / 1000);
    }
    this.metrics.seatsReserved.inc(held.length);
    observe('ok');
    const row: HoldRow = { id: holdId, eventId: event.id, userId: who.userId, currency: event.currency, expiresAt: inserted.expiresAt, seats: outcome.seats };
    return { hold: toHold(row), held, freed: outcome.freed.map((s) => s.index) };
  }

  /** The statement, retried once when two sessions of one user raced for the one active hold (unique violation: the retry replaces the winner's). */
  private async phase2(event: HoldEvent, who: { userId: string; sessionId: string }, holdId: string, seatIds: string[]): Promise<HoldOutcome> {
    const run = () =>
      takeHold(this.holdsDb, {
        id: holdId,
        eventId: event.id,
        userId: who.userId,
        sessionId: who.sessionId,
        ttlSeconds: this.ttlSeconds,
        seatIds,
        maxTickets: event.maxTicketsPerUser,
      });
    try {
      return await run();
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      return run();
    }
  }

  /** Maps the refusal phase 2 decided in SQL to its answer. */
  private refuse(outcome: HoldOutcome, seatIds: string[], maxTickets: number): void {
    switch (outcome.refusal) {
      case null:
        return;
      case 'event_not_on_sale':
        throw new ConflictError('This event is not on sale.', 'event_not_on_sale');
      case 'seats_unavailable': {
        const eligible = new Set(outcome.seats.filter((s) => s.eligible).map((s) => s.id));
        throw new SeatsUnavailableError(seatIds.filter((id) => !eligible.has(id)));
      }
      case 'ticket_limit':
        throw new ConflictError(`At most ${maxTickets} tickets per person for this event (you have ${outcome.userSold}).`, 'ticket_limit');
    }
  }

  /** The user's active unexpired hold (on that event when given), or 404. */
  async current(userId: string, eventId?: string): Promise<Hold> {
    const row = await findCurrentHold(this.deps.db, userId, eventId);
    if (!row) throw new NotFoundError('Hold');
    return toHold(row);
  }

  /** Own active hold only (others' → 404); seats free at once. Returns the event and the freed seat indexes. */
  async release(userId: string, holdId: string): Promise<{ eventId: string; freed: number[] }> {
    const result = await releaseOwnHold(this.holdsDb, holdId, userId);
    if (!result) throw new NotFoundError('Hold');
    const { hold, seats } = result;
    // Fire and forget (as after a hold): the Redis commands are sent before we answer.
    void this.afterRelease(hold.eventId, hold.id, seats);
    this.metrics.seatsReleased.inc({ reason: 'released' }, seats.length);
    this.metrics.holdLifetime.observe({ ended: 'released' }, (this.now() - hold.createdAt.getTime()) / 1000);
    return { eventId: hold.eventId, freed: seats.map((s) => s.index) };
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
  async expireDue(batchSize = 200, maxBatches = 10): Promise<number> {
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
      for (const h of done.holds) this.metrics.holdLifetime.observe({ ended: 'expired' }, (this.now() - h.createdAt.getTime()) / 1000);
      const byHold = new Map<string, ReleasedSeat[]>();
      for (const s of done.seats) byHold.set(s.holdId, [...(byHold.get(s.holdId) ?? []), s]);
      for (const h of done.holds) await this.afterRelease(h.eventId, h.id, byHold.get(h.id) ?? []);
      this.metrics.seatsExpired.inc(done.seats.length);
      total += done.holds.length;
      if (done.holds.length < batchSize) break;
    }
    return total;
  }
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
