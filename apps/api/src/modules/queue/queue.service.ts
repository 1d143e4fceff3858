import { randomInt } from 'node:crypto';
import type { QueueSettings, QueueSettingsInput, QueueStatus } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { eventStatus, type EventFacts, type EventFactsPort } from '../events/events.module.js';
import { queueMetrics, type QueueMetrics } from './queue.metrics.js';
import { QueueStore } from './queue.store.js';
import type { RawStatus, Who } from './queue.types.js';
import { QueueCookie } from './queue-cookie.js';

/** Who is shopping: the signed-in account and the browser session. */
export interface Shopper {
  userId: string;
  sessionId: string;
}

/** Who asks about the waiting room: the browser session and, when signed in, the account. */
export interface Visitor {
  sessionId: string;
  userId?: string | null;
}

/** What the waiting room needs from the events module: the event's facts and its settings. */
export interface QueuePorts {
  events: EventFactsPort & {
    /** Store new admission settings (and drop the cached facts); 404 for an unknown event. */
    updateQueueSettings(eventId: string, input: QueueSettingsInput): Promise<QueueSettings>;
  };
}

/** Lifetimes of the waiting room, in ms; default QUEUE_GRACE_SECONDS and QUEUE_SHOPPING_WINDOW_SECONDS. */
export interface QueueTimes {
  /** How long a queued fan may go without polling before they are passed over. */
  graceMs?: number;
  /** How long an admission lasts. */
  windowMs?: number;
}

/** Poll interval bounds (seconds). */
const POLL_MIN = 2;
const POLL_MAX = 20;
const POLL_ADMITTED = 30;

/** Aggregate waiting-room figures for the operator view. */
export interface QueueFigures {
  queueLength: number;
  admitted: number;
  admissionRatePerMinute: number;
  maxConcurrentShoppers: number;
  /** Mean join → admission time over every admission so far; undefined before the first. */
  averageWaitSeconds?: number;
  measuredRatePerMinute?: number;
  passedOver: number;
  admittedTotal: number;
}

/** The sale is over for the waiting room: the event was cancelled or has started (events' one rule). */
function saleEnded(f: EventFacts): boolean {
  const status = eventStatus(f);
  return status === 'cancelled' || status === 'completed';
}

function toWho(v: Visitor): Who {
  return { sessionId: v.sessionId, userId: v.userId ?? '' };
}

/**
 * Virtual waiting room for high-demand events: a fair queue per event in Redis, admission at
 * the event's rate up to its concurrent-shopper cap, and the check that guards holds.
 * Design: docs/architecture/waiting-room.md. Built by createQueueModule (queue.module.ts).
 */
export class QueueService {
  private readonly store: QueueStore;
  private readonly metrics: QueueMetrics;
  private readonly graceMs: number;
  private readonly windowMs: number;
  /** Signs and checks the `tk.q` poll cookie (queue-cookie.ts). */
  readonly cookie: QueueCookie;

  private readonly events: QueuePorts['events'];

  constructor(deps: Pick<AppDeps, 'env' | 'redis' | 'metrics'>, ports: QueuePorts, times: QueueTimes = {}) {
    this.events = ports.events;
    this.metrics = queueMetrics(deps.metrics);
    this.store = new QueueStore(deps.redis, (callers) => this.metrics.statusBatch.observe(callers));
    this.cookie = new QueueCookie(deps.env);
    this.graceMs = times.graceMs ?? deps.env.QUEUE_GRACE_SECONDS * 1000;
    this.windowMs = times.windowMs ?? deps.env.QUEUE_SHOPPING_WINDOW_SECONDS * 1000;
  }

  /** Join the event's queue (or get the place already held by this session or account). */
  async join(eventId: string, who: Visitor): Promise<QueueStatus> {
    const f = await this.requireQueueEvent(eventId, { forJoin: true });
    // Before on-sale every arrival draws a random place in the early band; a rejoin keeps the first draw.
    const raw = await this.store.join(eventId, toWho(who), randomInt(0, 2 ** 48 - 1), f.onSaleAtMs, this.graceMs);
    this.countPassedOver(eventId, raw);
    return this.toStatus(raw, f);
  }

  /** The caller's place; refreshes its liveness. Redis only, once the event's facts are cached (events module). */
  async status(eventId: string, who: Visitor): Promise<QueueStatus> {
    const f = await this.requireQueueEvent(eventId, { forJoin: false });
    const raw = await this.store.status(eventId, toWho(who), this.graceMs);
    this.countPassedOver(eventId, raw);
    return this.toStatus(raw, f);
  }

  /**
   * The lean status route's answer (queueStatusRoutes in queue.routes.ts): the same answer as `status`, but only for the
   * ready cases — event facts already cached by the events module (which reloads them ahead of
   * expiry while polls keep coming) and still valid for a poll, and the caller queued or
   * admitted. Null otherwise (the caller falls through to the normal route, which answers every
   * other case). Never reaches PostgreSQL.
   */
  async readyStatus(eventId: string, who: Visitor): Promise<QueueStatus | null> {
    const f = this.events.cachedFacts(eventId);
    if (!f || !f.highDemand || saleEnded(f)) return null;
    const raw = await this.store.status(eventId, toWho(who), this.graceMs);
    this.countPassedOver(eventId, raw);
    if (raw.state !== 'queued' && raw.state !== 'admitted') return null;
    return this.toStatus(raw, f);
  }

  /** Leave the queue, giving up the place or the admission (frees the slot at once). 404 `not_queued` when neither. */
  async leave(eventId: string, who: Visitor): Promise<void> {
    await this.requireQueueEvent(eventId, { forJoin: false, allowEnded: true });
    const removed = await this.store.leave(eventId, toWho(who));
    if (removed === 0) throw new AppError(404, 'not_queued', 'You are not in the waiting room of this event.');
  }

  /** Throws 403 `not_admitted` when the event needs a waiting-room admission this shopper lacks. */
  async assertAdmitted(event: Pick<EventFacts, 'id' | 'highDemand'>, who: Shopper | Visitor): Promise<void> {
    if (!event.highDemand) return;
    const until = await this.store.admittedUntil(event.id, toWho(who));
    if (until === null) throw new ForbiddenError('Join the waiting room for this event first.', 'not_admitted');
  }

  /** The admission expiry (ms since epoch) of this shopper, or null. */
  admittedUntil(eventId: string, who: Shopper | Visitor): Promise<number | null> {
    return this.store.admittedUntil(eventId, toWho(who));
  }

  /** Free the shopper's admission slot at once (called after a completed checkout). */
  async finishShopping(eventId: string, who: Shopper | Visitor): Promise<void> {
    await this.store.finish(eventId, toWho(who));
  }

  /**
   * Signing in regenerates the session id: call this with the old (anonymous) session id and
   * the account right after sign-in so the fan keeps their places and admissions. Returns the
   * ids of the events whose entry moved.
   */
  adoptSession(oldSessionId: string, userId: string): Promise<string[]> {
    return this.store.adopt(oldSessionId, userId);
  }

  /**
   * One admission pass over every event with a waiting queue. Safe in every instance at once:
   * the decision per event is one atomic Lua script.
   */
  async admitTick(): Promise<{ events: number; admitted: number; passedOver: number }> {
    const events = await this.store.activeEvents();
    let admitted = 0;
    let passedOver = 0;
    for (const eventId of events) {
      const r = await this.admitEvent(eventId);
      admitted += r.admitted;
      passedOver += r.passedOver;
    }
    return { events: events.length, admitted, passedOver };
  }

  /** One admission tick for one event; returns the members admitted in queue order. */
  async admitEvent(eventId: string): Promise<{ admitted: number; passedOver: number; members: string[]; admissionsBefore: number; activeShoppers: number }> {
    const facts = await this.events.facts(eventId);
    if (!facts) {
      await this.store.markIdle(eventId);
      return { admitted: 0, passedOver: 0, members: [], admissionsBefore: 0, activeShoppers: 0 };
    }
    const r = await this.store.admit(eventId, facts, this.graceMs, this.windowMs);
    const m = this.metrics;
    m.queueLength.set({ event_id: eventId }, r.queueLength);
    m.activeShoppers.set({ event_id: eventId }, r.activeShoppers);
    if (r.admitted.length) m.admissions.inc({ event_id: eventId }, r.admitted.length);
    if (r.passedOver) m.passedOver.inc({ event_id: eventId }, r.passedOver);
    for (const a of r.admitted) m.waitSeconds.observe(a.waitMs / 1000);
    if (r.queueLength === 0 && r.activeShoppers === 0) await this.store.markIdle(eventId);
    return { admitted: r.admitted.length, passedOver: r.passedOver, members: r.admitted.map((a) => a.member), admissionsBefore: r.admissionsBefore, activeShoppers: r.activeShoppers };
  }

  /**
   * Change the admission settings (stored by the events module, which drops its cached facts);
   * the next admission tick of this instance uses them, other instances' within the facts' lifetime.
   */
  updateSettings(eventId: string, input: QueueSettingsInput): Promise<QueueSettings> {
    return this.events.updateQueueSettings(eventId, input);
  }

  /** Waiting-room figures for the operator view. 404 for an unknown event. */
  async figures(eventId: string): Promise<QueueFigures> {
    const info = await this.events.facts(eventId);
    if (!info) throw new NotFoundError('Event');
    const f = await this.store.figures(eventId);
    return {
      queueLength: f.queueLength,
      admitted: f.admitted,
      admissionRatePerMinute: info.admissionRatePerMinute,
      maxConcurrentShoppers: info.maxConcurrentShoppers,
      ...(f.admittedTotal > 0 ? { averageWaitSeconds: Math.round(f.waitSumMs / f.admittedTotal / 100) / 10 } : {}),
      ...(f.measuredRate !== null ? { measuredRatePerMinute: f.measuredRate } : {}),
      passedOver: f.passedOver,
      admittedTotal: f.admittedTotal,
    };
  }

  private countPassedOver(eventId: string, raw: RawStatus) {
    if (raw.passedOver) this.metrics.passedOver.inc({ event_id: eventId }, raw.passedOver);
  }

  /** 404 unknown event; 409 `queue_not_enabled` for a normal event; 409 for a cancelled or past event. */
  private async requireQueueEvent(eventId: string, o: { forJoin: boolean; allowEnded?: boolean }): Promise<EventFacts> {
    const f = await this.events.facts(eventId);
    if (!f) throw new NotFoundError('Event');
    if (!f.highDemand) throw new ConflictError('This event has no waiting room; go straight to the seats.', 'queue_not_enabled');
    if (!o.allowEnded) {
      const status = eventStatus(f);
      if (status === 'cancelled') throw new ConflictError('This event has been cancelled.', 'event_cancelled');
      if (status === 'completed') throw new ConflictError('This event has already started; its sale is over.', 'event_not_on_sale');
    }
    return f;
  }

  private toStatus(raw: RawStatus, f: EventFacts): QueueStatus {
    if (raw.state === 'admitted' && raw.admittedUntilMs !== null) {
      const left = Math.max(1, Math.floor((raw.admittedUntilMs - raw.nowMs) / 1000));
      return { status: 'admitted', admittedUntil: new Date(raw.admittedUntilMs).toISOString(), pollAfterSeconds: Math.min(POLL_ADMITTED, left) };
    }
    if (raw.state !== 'queued') return { status: raw.state };
    const rate = raw.measuredRatePerMinute ?? raw.configuredRatePerMinute ?? f.admissionRatePerMinute;
    const untilSale = Math.max(0, f.onSaleAtMs - raw.nowMs) / 1000;
    const position = raw.rank + 1;
    const estimate = rate > 0 ? Math.ceil(untilSale + (position * 60) / rate) : undefined;
    // Near the front poll often; far back rarely; always well inside the liveness grace period.
    const ceiling = Math.max(1, Math.min(POLL_MAX, Math.floor(this.graceMs / 3000)));
    const pollAfterSeconds = Math.max(1, Math.min(ceiling, Math.max(POLL_MIN, Math.round((estimate ?? 0) / 20))));
    return {
      status: 'queued',
      position,
      aheadOfYou: raw.rank,
      ...(estimate !== undefined ? { estimatedWaitSeconds: estimate } : {}),
      pollAfterSeconds,
      onSaleAt: new Date(f.onSaleAtMs).toISOString(),
    };
  }
}
