import type { RedisClient as Redis } from '../../platform/redis.js';
import { ACTIVE_EVENTS_KEY, queueKeys, sessionEventsKey } from './queue.keys.js';
import { ADMIT_LUA, ADMITTED_LUA, ADOPT_LUA, FINISH_LUA, JOIN_LUA, LEAVE_LUA, STATUS_BATCH_MAX, STATUS_LUA } from './queue.scripts.js';
import { StatusBatcher } from './queue-status-batcher.js';
import type { AdmitResult, AdmitSettings, RawStatus, Who } from './queue.types.js';

export type { AdmitResult, AdmitSettings, RawStatus, Who } from './queue.types.js';

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

/**
 * The waiting room's Redis side: every state change is one Lua script on one event's keys
 * (see queue.scripts.ts). ioredis applies the process key prefix to KEYS and runs the
 * scripts by SHA, loading them on NOSCRIPT.
 */
export class QueueStore {
  private readonly r: Redis & QueueScripts;
  /** Status calls of one event in one event-loop turn share a script run (queue-status-batcher.ts). */
  private readonly batcher: StatusBatcher;

  /** `onStatusBatch` hears the size of every status script run (a metric). */
  constructor(redis: Redis, onStatusBatch?: (callers: number) => void) {
    this.r = redis as Redis & QueueScripts;
    this.batcher = new StatusBatcher((eventId, graceMs, whos) => this.runStatus(eventId, graceMs, whos), STATUS_BATCH_MAX, onStatusBatch);
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
    // An anonymous session remembers its events so signing in can move its places (adopt). Two
    // commands sent together, not one pipeline: on a Redis Cluster the two keys live in other slots.
    await Promise.all([
      this.r.sadd(ACTIVE_EVENTS_KEY, eventId),
      who.userId ? null : this.r.multi().sadd(sessionEventsKey(who.sessionId), eventId).expire(sessionEventsKey(who.sessionId), 86_400).exec(),
    ]);
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
    return this.batcher.status(eventId, who, graceMs);
  }

  /** One run of the status script for several callers of one event, one reply each. */
  private async runStatus(eventId: string, graceMs: number, whos: Who[]): Promise<RawStatus[]> {
    const args: (string | number)[] = this.statusKeys(eventId);
    args.push(graceMs);
    for (const w of whos) args.push(w.sessionId, w.userId);
    const replies = (await this.r.qStatus(...args)) as unknown[];
    return whos.map((_, i) => toRawStatus(replies, i * 8));
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
