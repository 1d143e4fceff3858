import type { HoldInput } from '@ticketing/shared';
import type { SnapshotRead } from './availability-snapshot.js';
import { pickBestAvailable } from './best-available.js';
import { SeatsUnavailableError, type TakenHold } from './holds.service.js';
import type { Layout } from './seatmap-cache.js';

/**
 * Picks per request, and how many equally good disjoint blocks each attempt chooses among
 * (randomly, weighted toward the best). The first attempt takes the single best block when this
 * process has no other best-available request for the event in flight (a lone fan gets the best
 * seats), else spreads over 8; the spread widens as attempts fail (more contention → spread more).
 * A conflict costs one Redis round trip, so re-picking is cheap.
 */
const BEST_AVAILABLE_SPREAD = [8, 8, 16, 32, 64, 128] as const;
/**
 * Seats this process held this recently are skipped even where its snapshot copy still shows them
 * available: a snapshot read answered just before a hold's update landed is stale for exactly
 * those seats, and under load a picker kept walking into them.
 */
const RECENT_HOLD_MS = 2_000;

/** What the picker needs from the inventory: the layout, the snapshot, and the two-phase take. */
export interface PickerPorts {
  layout(eventId: string): Promise<Layout>;
  snapshot(eventId: string): Promise<SnapshotRead>;
  /** The user's own held seat indexes on the event (they count as free for a replacing hold). */
  ownHeld(userId: string, eventId: string): Promise<number[]>;
  take(seatIds: string[]): Promise<TakenHold>;
}

/**
 * Best available, with the contention state of this process: seats other best-available requests
 * are trying right now, requests in flight per event, and seats held here in the last
 * RECENT_HOLD_MS. State is per process and advisory; PostgreSQL decides every hold.
 */
export class BestAvailablePicker {
  /** Seat indices (→ number of requests) being tried right now by this process, per event. */
  private readonly pendingPicks = new Map<string, Map<number, number>>();
  /** Best-available requests in flight in this process, per event. */
  private readonly inFlight = new Map<string, number>();
  /** Seats held through this process in the last RECENT_HOLD_MS, per event: seat index → when. */
  private readonly recentHolds = new Map<string, Map<number, number>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Pick and hold `input.quantity` seats together; retries with a wider spread on conflicts. */
  async pickAndHold(eventId: string, userId: string, input: Extract<HoldInput, { quantity: number }>, ports: PickerPorts): Promise<TakenHold> {
    const layout = await ports.layout(eventId);
    const indexById = seatIndexById(layout);
    const ownIdx = new Set(await ports.ownHeld(userId, eventId));
    const n = (this.inFlight.get(eventId) ?? 0) + 1;
    this.inFlight.set(eventId, n);
    try {
      return await this.attempts(eventId, input, layout, indexById, ownIdx, n > 1, ports);
    } finally {
      const left = (this.inFlight.get(eventId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(eventId, left);
      else this.inFlight.delete(eventId);
    }
  }

  private async attempts(
    eventId: string,
    input: Extract<HoldInput, { quantity: number }>,
    layout: Layout,
    indexById: Map<string, number>,
    ownIdx: Set<number>,
    contended: boolean,
    ports: PickerPorts,
  ): Promise<TakenHold> {
    const taken = new Set<number>();
    for (const [attempt, max] of BEST_AVAILABLE_SPREAD.entries()) {
      const spread = attempt === 0 && !contended ? 1 : max;
      // The in-process snapshot copy can trail other instances by a few ms (≤ 1 s if a pub/sub
      // message is lost): `taken` keeps every seat an earlier attempt of this request found locked,
      // and seats other best-available requests of THIS process are trying right now are avoided.
      const snap = await ports.snapshot(eventId);
      if (snap.kind !== 'body') throw new SeatsUnavailableError([], 'No seats match.');
      const st = snap.statuses;
      const pending = this.pendingPicks.get(eventId);
      const free = (i: number) => !taken.has(i) && (st[i] === 97 /* a */ || ownIdx.has(i));
      const recent = this.recentlyHeld(eventId);
      const settled = recent ? (i: number) => free(i) && (!recent.has(i) || ownIdx.has(i)) : free;
      const pick =
        (pending && pickBestAvailable(layout.rows, (i) => settled(i) && !pending.has(i), input, { spread })) ||
        // everything left is being tried by someone else here: try anyway (one of them may fail)
        pickBestAvailable(layout.rows, settled, input, { spread }) ||
        // only seats held here a moment ago are left: one may have been released meanwhile elsewhere
        (recent ? pickBestAvailable(layout.rows, free, input, { spread }) : null);
      if (!pick) throw new SeatsUnavailableError([], 'No available seats match that request.');
      const idx = pick.map((s) => s.index);
      this.markPending(eventId, idx, 1);
      try {
        const result = await ports.take(pick.map((s) => s.id));
        this.noteHeld(eventId, result.held, result.freed);
        return result;
      } catch (err) {
        if (!(err instanceof SeatsUnavailableError)) throw err;
        const ids = (err.extra.unavailableSeatIds as string[]).length ? (err.extra.unavailableSeatIds as string[]) : pick.map((s) => s.id);
        for (const id of ids) taken.add(indexById.get(id)!);
      } finally {
        this.markPending(eventId, idx, -1);
      }
    }
    throw new SeatsUnavailableError([], 'Seats are selling fast; no matching seats could be held. Try again.');
  }

  /** Record seats held (and freed) through this process, for the next picks' "recently held" rule. */
  noteHeld(eventId: string, held: number[], freed: number[]): void {
    let m = this.recentlyHeld(eventId); // prunes: the map keeps only the last RECENT_HOLD_MS
    if (!m && !held.length) return;
    if (!m) this.recentHolds.set(eventId, (m = new Map()));
    for (const i of freed) m.delete(i);
    const now = this.now();
    for (const i of held) {
      m.delete(i);
      m.set(i, now);
    }
    if (!m.size) this.recentHolds.delete(eventId);
  }

  /** Seat indices held through this process within RECENT_HOLD_MS (pruned as it goes), or null. */
  private recentlyHeld(eventId: string): Map<number, number> | null {
    const m = this.recentHolds.get(eventId);
    if (!m) return null;
    // Entries are kept in time order (noteHeld re-inserts), so only the expired head is visited.
    const cutoff = this.now() - RECENT_HOLD_MS;
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

  private markPending(eventId: string, idx: number[], delta: 1 | -1): void {
    let m = this.pendingPicks.get(eventId);
    if (!m) this.pendingPicks.set(eventId, (m = new Map()));
    for (const i of idx) {
      const c = (m.get(i) ?? 0) + delta;
      if (c > 0) m.set(i, c);
      else m.delete(i);
    }
    if (!m.size) this.pendingPicks.delete(eventId);
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
