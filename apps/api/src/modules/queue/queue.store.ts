import type { Redis } from '../../platform/redis.js';
import { ACTIVE_EVENTS_KEY, queueKeys, sessionEventsKey } from './queue.keys.js';
import { ADMIT_LUA, ADMITTED_LUA, ADOPT_LUA, FINISH_LUA, JOIN_LUA, LEAVE_LUA, STATUS_BATCH_MAX, STATUS_LUA } from './queue.scripts.js';

/** Raw answer of the join / status scripts. */
export interface RawStatus {
  state: 'queued' | 'admitted' | 'not_in_queue' | 'expired';
  /** 0-based rank in the queue, -1 when not queued. */
  rank: number;
  queueLength: number;
  admittedUntilMs: number | null;
  measuredRatePerMinute: number | null;
  configuredRatePerMinute: number | null;
  nowMs: number;
  /** 1 when this call found the caller's entry stale and passed it over. */
  passedOver: number;
}

/** Outcome of one admission tick for one event. */
export interface AdmitResult {
  admitted: { member: string; waitMs: number }[];
  passedOver: number;
  queueLength: number;
  activeShoppers: number;
  /** Admissions of this event before this batch (Redis-side sequence: batch order across instances). */
  admissionsBefore: number;
}

/** The event's admission settings (its facts). */
export interface AdmitSettings {
  admissionRatePerMinute: number;
  maxConcurrentShoppers: number;
}

export interface Who {
  sessionId: string;
  /** '' when not signed in. */
  userId: string;
}

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;
interface QueueScripts {
  qJoin: ScriptFn;
  qStatus: ScriptFn;
  qLeave: ScriptFn;
  qAdmitted: ScriptFn;
  qFinish: ScriptFn;
  qAdmit: ScriptFn;
  qAdopt: ScriptFn;
}

const num = (v: unknown): number | null => (v === '' || v === null || v === undefined || v === false ? null : Number(v));

/** The status reply that starts at `at` in a script's answer (8 fields per caller). */
function toRawStatus(r: unknown[], at = 0): RawStatus {
  return {
    state: r[at] as RawStatus['state'],
    rank: Number(r[at + 1]),
    queueLength: Number(r[at + 2]),
    admittedUntilMs: num(r[at + 3]),
    measuredRatePerMinute: num(r[at + 4]),
    configuredRatePerMinute: num(r[at + 5]),
    nowMs: Number(r[at + 6]),
    passedOver: Number(r[at + 7]),
  };
}

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

/**
 * The waiting room's Redis side: every state change is one Lua script on one event's keys
 * (see queue.scripts.ts). ioredis applies the process key prefix to KEYS and runs the
 * scripts by SHA, loading them on NOSCRIPT.
 */
export class QueueStore {
  private readonly r: Redis & QueueScripts;
  /** Status calls gathered in this event-loop turn, by event and grace (see status()). */
  private batches = new Map<string, StatusBatch>();

  /** `onStatusBatch` hears the size of every status script run (a metric). */
  constructor(redis: Redis, private readonly onStatusBatch?: (callers: number) => void) {
    this.r = redis as Redis & QueueScripts;
    if (typeof this.r.qAdopt !== 'function') {
      redis.defineCommand('qJoin', { numberOfKeys: 8, lua: JOIN_LUA });
      redis.defineCommand('qStatus', { numberOfKeys: 8, lua: STATUS_LUA });
      redis.defineCommand('qLeave', { numberOfKeys: 5, lua: LEAVE_LUA });
      redis.defineCommand('qAdmitted', { numberOfKeys: 1, lua: ADMITTED_LUA });
      redis.defineCommand('qFinish', { numberOfKeys: 1, lua: FINISH_LUA });
      redis.defineCommand('qAdmit', { numberOfKeys: 9, lua: ADMIT_LUA });
      redis.defineCommand('qAdopt', { numberOfKeys: 5, lua: ADOPT_LUA });
    }
  }

  private statusKeys(eventId: string): string[] {
    const k = queueKeys(eventId);
    return [k.queue, k.seen, k.admitted, k.joined, k.seq, k.gone, k.stats, k.settings];
  }

  /** Join (or find the caller's existing place); marks the event active for the worker. */
  async join(eventId: string, who: Who, earlyScore: number, onSaleAtMs: number, graceMs: number): Promise<RawStatus> {
    const r = (await this.r.qJoin(...this.statusKeys(eventId), who.sessionId, who.userId, String(earlyScore), onSaleAtMs, graceMs)) as unknown[];
    // After the entry exists (see markIdle for why this order keeps the set complete).
    const p = this.r.pipeline().sadd(ACTIVE_EVENTS_KEY, eventId);
    // An anonymous session remembers its events so signing in can move its places (adopt).
    if (!who.userId) p.sadd(sessionEventsKey(who.sessionId), eventId).expire(sessionEventsKey(who.sessionId), 86_400);
    await p.exec();
    return toRawStatus(r);
  }

  /**
   * The caller's status; refreshes the last-seen time of a queued entry.
   *
   * Calls for the same event made in the same event-loop turn share one script run: the first
   * schedules a flush with setImmediate, which runs right after the turn's I/O callbacks, so a
   * lone poll waits for nothing and a burst of N polls costs one command, one write and one
   * reply instead of N (measured in bench/README.md, "sixth pass").
   */
  status(eventId: string, who: Who, graceMs: number): Promise<RawStatus> {
    return new Promise((resolve, reject) => {
      const key = `${graceMs} ${eventId}`;
      let batch = this.batches.get(key);
      if (!batch) {
        if (this.batches.size === 0) setImmediate(this.flushStatus);
        batch = { eventId, graceMs, calls: [] };
        this.batches.set(key, batch);
      }
      batch.calls.push({ who, resolve, reject });
    });
  }

  private readonly flushStatus = (): void => {
    const batches = this.batches;
    this.batches = new Map();
    for (const { eventId, graceMs, calls } of batches.values()) {
      for (let from = 0; from < calls.length; from += STATUS_BATCH_MAX) {
        this.runStatus(eventId, graceMs, calls.slice(from, from + STATUS_BATCH_MAX));
      }
    }
  };

  private runStatus(eventId: string, graceMs: number, calls: PendingStatus[]): void {
    const args: (string | number)[] = this.statusKeys(eventId);
    args.push(graceMs);
    for (const c of calls) args.push(c.who.sessionId, c.who.userId);
    const fail = (err: unknown) => {
      for (const c of calls) c.reject(err);
    };
    this.onStatusBatch?.(calls.length);
    try {
      this.r.qStatus(...args).then((r) => {
        const replies = r as unknown[];
        for (let i = 0; i < calls.length; i++) calls[i]!.resolve(toRawStatus(replies, i * 8));
      }, fail);
    } catch (err) {
      fail(err); // a command that cannot even be sent must not leave its callers waiting
    }
  }

  /** Leave the queue and give up any admission. Returns how many entries were removed. */
  async leave(eventId: string, who: Who): Promise<number> {
    const k = queueKeys(eventId);
    return Number(await this.r.qLeave(k.queue, k.seen, k.admitted, k.joined, k.gone, who.sessionId, who.userId));
  }

  /** The expiry (ms) of the caller's valid admission, or null. */
  async admittedUntil(eventId: string, who: Who): Promise<number | null> {
    const r = Number(await this.r.qAdmitted(queueKeys(eventId).admitted, who.sessionId, who.userId));
    return r > 0 ? r : null;
  }

  /** Free the caller's admission slot. */
  async finish(eventId: string, who: Who): Promise<number> {
    return Number(await this.r.qFinish(queueKeys(eventId).admitted, who.sessionId, who.userId));
  }

  /** Move every place and admission of an anonymous session to an account. Returns the events touched. */
  async adopt(oldSessionId: string, userId: string): Promise<string[]> {
    const key = sessionEventsKey(oldSessionId);
    const events = await this.r.smembers(key);
    const moved: string[] = [];
    for (const eventId of events) {
      const k = queueKeys(eventId);
      if (Number(await this.r.qAdopt(k.queue, k.seen, k.admitted, k.joined, k.gone, oldSessionId, userId)) > 0) moved.push(eventId);
    }
    await this.r.del(key);
    return moved;
  }

  /**
   * One admission tick at the event's rate (per minute) up to its cap of concurrent shoppers;
   * both are also stored as the live settings the status script reads for its wait estimate.
   */
  async admit(eventId: string, settings: AdmitSettings, graceMs: number, windowMs: number, maxBatch = 5000, sweep = 2000): Promise<AdmitResult> {
    const k = queueKeys(eventId);
    const r = (await this.r.qAdmit(
      k.queue, k.seen, k.admitted, k.joined, k.settings, k.bucket, k.stats, k.rateLog, k.gone,
      graceMs, windowMs, maxBatch, sweep, settings.admissionRatePerMinute, settings.maxConcurrentShoppers,
    )) as unknown[];
    const admitted: AdmitResult['admitted'] = [];
    for (let i = 5; i < r.length; i += 2) admitted.push({ member: String(r[i]), waitMs: Number(r[i + 1]) });
    return { admitted, passedOver: Number(r[1]), queueLength: Number(r[2]), activeShoppers: Number(r[3]), admissionsBefore: Number(r[4]) };
  }

  /** Events with a non-empty queue or admitted set. */
  activeEvents(): Promise<string[]> {
    return this.r.smembers(ACTIVE_EVENTS_KEY);
  }

  /**
   * Remove an idle event from the active set. SREM first, then re-check: a concurrent join
   * does ZADD then SADD, so either we see its entry and re-add, or its SADD comes after our SREM.
   */
  async markIdle(eventId: string): Promise<void> {
    const k = queueKeys(eventId);
    await this.r.srem(ACTIVE_EVENTS_KEY, eventId);
    const [[, q], [, a]] = (await this.r.multi().zcard(k.queue).zcard(k.admitted).exec()) as [[null, number], [null, number]];
    if (q > 0 || a > 0) await this.r.sadd(ACTIVE_EVENTS_KEY, eventId);
  }

  /** Queue figures for the operator view. */
  async figures(eventId: string): Promise<{ queueLength: number; admitted: number; admittedTotal: number; waitSumMs: number; passedOver: number; measuredRate: number | null; nowMs: number }> {
    const k = queueKeys(eventId);
    const [sec, micro] = await this.r.time();
    const nowMs = Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
    const res = (await this.r
      .multi()
      .zcard(k.queue)
      .zcount(k.admitted, `(${nowMs}`, '+inf')
      .hmget(k.stats, 'admittedTotal', 'waitSumMs', 'passedOver', 'measuredRate')
      .exec()) as [null, unknown][];
    const s = res[2]![1] as (string | null)[];
    return {
      queueLength: Number(res[0]![1]),
      admitted: Number(res[1]![1]),
      admittedTotal: Number(s[0] ?? 0),
      waitSumMs: Number(s[1] ?? 0),
      passedOver: Number(s[2] ?? 0),
      measuredRate: num(s[3]),
      nowMs,
    };
  }
}
