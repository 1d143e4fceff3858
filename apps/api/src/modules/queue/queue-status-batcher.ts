import type { RawStatus, Who } from './queue.types.js';

/** A status call waiting for the end of the event-loop turn. */
interface PendingStatus {
  who: Who;
  resolve: (s: RawStatus) => void;
  reject: (e: unknown) => void;
}
/** Status calls of one event (and grace) gathered in the current turn. */
interface StatusBatch {
  eventId: string;
  graceMs: number;
  calls: PendingStatus[];
}

/** Runs the status script for several callers of one event; one reply per caller, in order. */
export type RunStatus = (eventId: string, graceMs: number, whos: Who[]) => Promise<RawStatus[]>;

/**
 * Status calls for the same event made in the same event-loop turn share one script run: the
 * first schedules a flush with setImmediate, which runs right after the turn's I/O callbacks, so
 * a lone poll waits for nothing and a burst of N polls costs one command, one write and one
 * reply instead of N (figures: bench/README.md, "Waiting room"). At most `maxBatch` callers share a run.
 */
export class StatusBatcher {
  private batches = new Map<string, StatusBatch>();

  /** `onBatch` hears the size of every script run (a metric). */
  constructor(
    private readonly run: RunStatus,
    private readonly maxBatch: number,
    private readonly onBatch?: (callers: number) => void,
  ) {}

  status(eventId: string, who: Who, graceMs: number): Promise<RawStatus> {
    return new Promise((resolve, reject) => {
      const key = `${graceMs} ${eventId}`;
      let batch = this.batches.get(key);
      if (!batch) {
        if (this.batches.size === 0) setImmediate(this.flush);
        batch = { eventId, graceMs, calls: [] };
        this.batches.set(key, batch);
      }
      batch.calls.push({ who, resolve, reject });
    });
  }

  private readonly flush = (): void => {
    const batches = this.batches;
    this.batches = new Map();
    for (const { eventId, graceMs, calls } of batches.values()) {
      for (let from = 0; from < calls.length; from += this.maxBatch) this.runOnce(eventId, graceMs, calls.slice(from, from + this.maxBatch));
    }
  };

  private runOnce(eventId: string, graceMs: number, calls: PendingStatus[]): void {
    const fail = (err: unknown) => {
      for (const c of calls) c.reject(err);
    };
    this.onBatch?.(calls.length);
    try {
      this.run(
        eventId,
        graceMs,
        calls.map((c) => c.who),
      ).then((replies) => {
        for (let i = 0; i < calls.length; i++) calls[i]!.resolve(replies[i]!);
      }, fail);
    } catch (err) {
      fail(err); // a command that cannot even be sent must not leave its callers waiting
    }
  }
}
