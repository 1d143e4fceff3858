import type { AppDeps } from '../../platform/deps.js';

type SeatChar = 'a' | 'h' | 's';

/** What checkout and orders need from the inventory module (availability snapshot, seat locks). */
interface InventoryPort {
  applySeatChanges(eventId: string, changes: [number, SeatChar][]): Promise<unknown>;
  releaseLocks?(eventId: string, token: string, seatIds: string[]): Promise<unknown>;
}
interface QueuePort {
  finishShopping(eventId: string, who: { userId: string; sessionId: string }): Promise<unknown>;
  invalidateEvent?(eventId: string): Promise<unknown>;
}
interface EventsPort {
  invalidate(eventId: string): Promise<unknown>;
}

/**
 * Side effects other modules observe, run AFTER the commit and never allowed to fail the
 * request (the database is already right; the availability snapshot is rebuilt by its owner
 * if an update is lost). Other modules' services are looked up at call time, so this works
 * whichever of them are built, in whatever order.
 */
export class SideEffects {
  constructor(
    private readonly deps: Pick<AppDeps, 'logger'>,
    private readonly services: () => object,
  ) {}

  private get inventory(): InventoryPort | undefined {
    return (this.services() as { inventory?: InventoryPort }).inventory;
  }
  private get queue(): QueuePort | undefined {
    return (this.services() as { queue?: QueuePort }).queue;
  }
  private get events(): EventsPort | undefined {
    return (this.services() as { events?: Partial<EventsPort> }).events as EventsPort | undefined;
  }

  private async safely(what: string, fn: () => Promise<unknown> | undefined): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.deps.logger.warn({ err, what }, 'after-commit side effect failed');
    }
  }

  /**
   * Seats sold from a hold: snapshot update, the hold's seat locks released, the shopper's
   * waiting-room slot freed (`who` null: a sale completed by recovery, no session to free).
   */
  async afterSale(eventId: string, holdId: string, sold: { id: string; index: number }[], who: { userId: string; sessionId: string } | null): Promise<void> {
    const inv = this.inventory;
    // Independent of each other: sent together, one round trip instead of three.
    await Promise.all([
      this.safely('applySeatChanges', () => inv?.applySeatChanges(eventId, sold.map((s) => [s.index, 's']))),
      this.safely('releaseLocks', () => inv?.releaseLocks?.(eventId, holdId, sold.map((s) => s.id))),
      this.safely('finishShopping', () => (who ? this.queue?.finishShopping(eventId, who) : undefined)),
    ]);
  }

  /** Seats back on sale (refund, released holds). */
  async seatsFreed(eventId: string, indexes: number[], releasedHolds: { id: string; seatIds: string[] }[] = []): Promise<void> {
    const inv = this.inventory;
    if (indexes.length) await this.safely('applySeatChanges', () => inv?.applySeatChanges(eventId, indexes.map((i) => [i, 'a'])));
    for (const h of releasedHolds) await this.safely('releaseLocks', () => inv?.releaseLocks?.(eventId, h.id, h.seatIds));
  }

  /** Cached event reads are stale (e.g. the event was cancelled). */
  async eventChanged(eventId: string): Promise<void> {
    const ev = this.events;
    if (typeof ev?.invalidate === 'function') await this.safely('invalidate', () => ev.invalidate(eventId));
    // The waiting room caches event facts (e.g. whether it is cancelled) per process.
    await this.safely('queue.invalidateEvent', () => this.queue?.invalidateEvent?.(eventId));
  }
}
