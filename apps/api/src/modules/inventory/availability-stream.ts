import { duplicateSubscriber, type RedisClient as Redis } from '../../platform/redis.js';
import type { Logger } from '../../platform/logger.js';

type Listener = (json: string) => void;

/**
 * Fan-out of availability changes to SSE clients: ONE Redis subscriber connection per process
 * (created on the first listener), messages dispatched in process by event id.
 */
export class AvailabilityStream {
  private sub: Redis | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly anyListeners: ((eventId: string, json: string) => void)[] = [];
  /** How to end each open client stream (shutdown). */
  private readonly enders = new Set<() => void>();

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Register a listener for one event; returns the unsubscribe function. `end` (optional) ends
   * the client's stream; `close()` calls it so shutdown is not held up by open streams.
   */
  listen(eventId: string, fn: Listener, end?: () => void): () => void {
    if (end) this.enders.add(end);
    this.ensureSubscribed();
    let set = this.listeners.get(eventId);
    if (!set) this.listeners.set(eventId, (set = new Set()));
    set.add(fn);
    return () => {
      if (end) this.enders.delete(end);
      const s = this.listeners.get(eventId);
      if (!s) return;
      s.delete(fn);
      if (!s.size) this.listeners.delete(eventId);
    };
  }

  /** Receive every change message of every event (the in-process snapshot copies). */
  onAny(fn: (eventId: string, json: string) => void): void {
    this.anyListeners.push(fn);
    this.ensureSubscribed();
  }

  /** How many clients listen (tests, metrics). */
  get size(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  private ensureSubscribed(): void {
    if (this.sub) return;
    // A subscriber connection cannot run other commands; its own prefix does not apply to channels.
    // After a Redis restart it reconnects (the app's retryStrategy, forever) and subscribes again by
    // itself (autoResubscribe); changes published meanwhile are lost, which the snapshot's version
    // check repairs (a copy is re-verified within MIRROR_TTL_MS; browsers refetch on a version gap).
    const sub = duplicateSubscriber(this.redis);
    sub.on('error', () => {});
    sub.on('message', (_channel: string, message: string) => {
      const sp = message.indexOf(' ');
      if (sp < 0) return;
      const eventId = message.slice(0, sp);
      const json = message.slice(sp + 1);
      for (const fn of this.anyListeners) fn(eventId, json);
      const set = this.listeners.get(eventId);
      if (!set) return;
      for (const fn of set) fn(json);
    });
    sub.subscribe(this.channel).catch((err) => this.logger.warn({ err }, 'availability subscribe failed; retried on reconnect'));
    this.sub = sub;
  }

  /** End every open client stream (they reconnect elsewhere after `retry`) and close the subscriber connection. */
  async close(): Promise<void> {
    for (const end of [...this.enders]) end();
    this.enders.clear();
    const sub = this.sub;
    this.sub = null;
    this.listeners.clear();
    this.anyListeners.length = 0;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
