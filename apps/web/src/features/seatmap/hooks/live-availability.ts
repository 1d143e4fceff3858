import { Availability, AvailabilityChanges } from '@ticketing/shared';
import { applyChanges, decodeStatuses, STATUS, type StatusCode } from '../lib/availability';
import { availabilityStreamUrl, fetchAvailability } from '../api/seatmap-api';

export type LiveMode = 'connecting' | 'live' | 'polling' | 'offline';

export interface LiveSnapshot {
  statuses: Uint8Array;
  version: number;
  counts: { available: number; held: number; sold: number };
  mode: LiveMode;
  /** Bumps on every change so React and the canvas know to redraw. */
  revision: number;
}

/** Seats that became held or sold, reported so a selection can drop them. */
export type TakenListener = (indices: number[]) => void;

const POLL_MS = 4000;
/**
 * The front door micro-caches the snapshot for 1 s (docs/adr/0010-front-door-retries-and-micro-cache.md):
 * a refetch may answer a version older than the stream already told us about. Look again after this.
 */
const STALE_RETRY_MS = 1100;
const MAX_STREAM_ERRORS_BEFORE_POLLING = 3;

function countStatuses(s: Uint8Array) {
  const counts = { available: 0, held: 0, sold: 0 };
  for (let i = 0; i < s.length; i++) {
    if (s[i] === STATUS.available) counts.available++;
    else if (s[i] === STATUS.held) counts.held++;
    else if (s[i] === STATUS.sold) counts.sold++;
  }
  return counts;
}

/**
 * Keeps one event's seat statuses current: applies SSE `{version, changes}` messages in order,
 * refetches the snapshot (conditional on its ETag) when the stream errors or a version is missed,
 * and polls every few seconds when SSE is unavailable or keeps failing.
 */
export class LiveAvailability {
  private snap: LiveSnapshot;
  private etag: string | null;
  private readonly listeners = new Set<() => void>();
  private readonly takenListeners = new Set<TakenListener>();
  private source: EventSource | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private streamErrors = 0;
  private refetching: Promise<void> | null = null;
  private stopped = false;
  /** The newest version the stream announced; a snapshot older than it is looked for again. */
  private wantedVersion = 0;
  private staleRetryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly eventId: string,
    initial: Availability,
    size: number,
    initialEtag: string | null = null,
  ) {
    const statuses = decodeStatuses(initial.statuses, size);
    this.snap = { statuses, version: initial.version, counts: initial.counts, mode: 'connecting', revision: 0 };
    this.etag = initialEtag ?? `W/"av-${initial.version}"`;
  }

  /** Open the stream (or start polling where EventSource does not exist). */
  start(): void {
    this.stopped = false;
    if (typeof EventSource === 'undefined') this.startPolling();
    else this.openStream();
  }

  stop(): void {
    this.stopped = true;
    this.source?.close();
    this.source = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    if (this.staleRetryTimer) clearTimeout(this.staleRetryTimer);
    this.staleRetryTimer = null;
  }

  /** For useSyncExternalStore. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = (): LiveSnapshot => this.snap;

  /** Be told which seats someone else just took. */
  onTaken(fn: TakenListener): () => void {
    this.takenListeners.add(fn);
    return () => this.takenListeners.delete(fn);
  }

  /** Mark seats locally (e.g. a 409 told us they are taken before the stream did). */
  markTaken(indices: number[]): void {
    let changed = false;
    for (const i of indices) {
      if (i >= 0 && i < this.snap.statuses.length && this.snap.statuses[i] === STATUS.available) {
        this.snap.statuses[i] = STATUS.held;
        changed = true;
      }
    }
    if (changed) this.emit({ counts: countStatuses(this.snap.statuses) });
  }

  private emit(patch: Partial<LiveSnapshot>): void {
    this.snap = { ...this.snap, ...patch, revision: this.snap.revision + 1 };
    for (const fn of this.listeners) fn();
  }

  private reportTaken(changed: [number, StatusCode][]): void {
    const taken = changed.filter(([, c]) => c === STATUS.held || c === STATUS.sold).map(([i]) => i);
    if (taken.length) for (const fn of this.takenListeners) fn(taken);
  }

  private openStream(): void {
    const es = new EventSource(availabilityStreamUrl(this.eventId));
    this.source = es;
    es.onopen = () => {
      this.streamErrors = 0;
      this.emit({ mode: 'live' });
      // Changes made while we were connecting (or disconnected) are not replayed: catch up.
      void this.refetch();
    };
    es.addEventListener('availability', (ev) => {
      let msg: AvailabilityChanges;
      try {
        msg = AvailabilityChanges.parse(JSON.parse((ev as MessageEvent<string>).data));
      } catch {
        void this.refetch();
        return;
      }
      const r = applyChanges(this.snap.statuses, this.snap.version, msg);
      if (r.kind === 'gap') {
        this.wantedVersion = Math.max(this.wantedVersion, msg.version);
        void this.refetch();
      }
      else if (r.kind === 'applied') {
        this.etag = `W/"av-${r.version}"`;
        this.emit({ version: r.version, counts: countStatuses(this.snap.statuses) });
        this.reportTaken(r.changed);
      }
    });
    es.onerror = () => {
      if (this.stopped) return;
      this.streamErrors++;
      if (this.streamErrors >= MAX_STREAM_ERRORS_BEFORE_POLLING || es.readyState === EventSource.CLOSED) {
        es.close();
        this.source = null;
        this.startPolling();
        return;
      }
      // EventSource reconnects by itself; meanwhile make sure we did not miss anything.
      this.emit({ mode: 'connecting' });
      void this.refetch();
    };
  }

  private startPolling(): void {
    if (this.pollTimer || this.stopped) return;
    this.emit({ mode: 'polling' });
    this.pollTimer = setInterval(() => void this.refetch(), POLL_MS);
    void this.refetch();
  }

  private retryStaleSoon(): void {
    if (this.staleRetryTimer || this.stopped) return;
    this.staleRetryTimer = setTimeout(() => {
      this.staleRetryTimer = null;
      void this.refetch();
    }, STALE_RETRY_MS);
  }

  /** Fetch the snapshot unless unchanged (304); diff it against ours to report taken seats. */
  refetch(): Promise<void> {
    if (this.refetching) return this.refetching;
    this.refetching = (async () => {
      try {
        const r = await fetchAvailability(this.eventId, this.etag);
        if (r.kind === 'not_modified' || this.stopped) {
          if (this.snap.mode === 'offline') this.emit({ mode: this.pollTimer ? 'polling' : 'live' });
          if (this.snap.version < this.wantedVersion) this.retryStaleSoon();
          return;
        }
        // Never go back to an older snapshot (a cached one): keep ours and look again shortly.
        if (r.availability.version < this.snap.version) {
          this.retryStaleSoon();
          return;
        }
        if (r.availability.version < this.wantedVersion) this.retryStaleSoon();
        const next = decodeStatuses(r.availability.statuses, this.snap.statuses.length);
        const changed: [number, StatusCode][] = [];
        for (let i = 0; i < next.length; i++) if (next[i] !== this.snap.statuses[i]) changed.push([i, next[i] as StatusCode]);
        this.etag = r.etag ?? `W/"av-${r.availability.version}"`;
        this.snap.statuses = next;
        this.emit({
          statuses: next,
          version: r.availability.version,
          counts: r.availability.counts,
          mode: this.pollTimer ? 'polling' : this.source ? 'live' : this.snap.mode,
        });
        this.reportTaken(changed);
      } catch {
        this.emit({ mode: 'offline' });
      } finally {
        this.refetching = null;
      }
    })();
    return this.refetching;
  }
}
