import type { EventCancelResult, Order, OrderList, RefundPendingList } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.js';
import { afterCommit } from '../../platform/after-commit.js';
import { markEventCancelled } from '../events/events.tx.js';
import { freeSoldSeats, releaseEventHolds } from '../inventory/seat-ledger.js';
import { completedOrderIds, eventRevenue, findOrder, findOrderForRefund, listOrders, listRefundPending, markOrderRefunded } from './orders.repo.js';

const REFUND_CONCURRENCY = 8;

/** What orders need from other modules (built by the composition root). */
export interface OrdersPorts {
  payments: { refund(paymentId: string): Promise<void> };
  /** After-commit calls into the inventory (seats back on sale; the released holds' Redis locks). */
  inventory: {
    applySeatChanges(eventId: string, changes: [index: number, status: 'a' | 'h' | 's'][]): Promise<void>;
    releaseLocks(eventId: string, token: string, seatIds: string[]): Promise<void>;
  };
  /** Cached event reads are stale after a cancellation. */
  events: { invalidate(eventId: string): Promise<void> };
  /** The waiting room caches event facts (e.g. whether it is cancelled) per process. */
}

/** Orders after checkout: reading them, refunds (by the buyer or by an event cancellation), revenue. */
export class OrdersService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'logger'>,
    private readonly ports: OrdersPorts,
  ) {}

  /** An order with its tickets; `userId` null reads any owner's (admin paths). */
  getOrder(orderId: string, userId: string | null): Promise<Order | null> {
    return findOrder(this.deps.db, orderId, userId);
  }

  async list(userId: string, page: number, limit: number): Promise<OrderList> {
    const { items, total } = await listOrders(this.deps.db, userId, page, limit);
    return { items, page, limit, total };
  }

  /** The buyer cancels: refund, order refunded, tickets void, seats on sale again. */
  async cancel(userId: string, orderId: string): Promise<Order> {
    const o = await findOrderForRefund(this.deps.db, orderId);
    if (!o || o.userId !== userId || !['completed', 'refund_pending', 'cancelled', 'refunded'].includes(o.status)) throw new NotFoundError('Order');
    if (o.status !== 'completed') throw new ConflictError('This order is already cancelled.', 'order_not_cancellable');
    if (o.eventCompleted) throw new ConflictError('The event has taken place; this order can no longer be cancelled.', 'order_not_cancellable');
    await this.refund(o.id, o.eventId, o.paymentId!);
    const order = await this.getOrder(orderId, userId);
    if (!order) throw new NotFoundError('Order');
    return order;
  }

  /**
   * Refund one completed order. The provider refund comes first and is idempotent, so a crash
   * or a concurrent cancel between the two steps is repaired by simply retrying; the database
   * step is conditional on 'completed', so nothing is undone twice.
   */
  private async refund(orderId: string, eventId: string, paymentId: string): Promise<number | null> {
    try {
      await this.ports.payments.refund(paymentId);
    } catch (err) {
      this.deps.logger.warn({ err, orderId }, 'refund failed at the provider');
      throw new AppError(503, 'payment_unavailable', 'The refund could not be made right now. Try again shortly.', {}, { 'Retry-After': '5' });
    }
    const freed = await withTransaction(this.deps.db, async (tx) => ((await markOrderRefunded(tx, orderId)) ? freeSoldSeats(tx, orderId) : null));
    if (freed?.length) await this.seatsFreed(eventId, freed);
    return freed ? freed.length : null;
  }

  /** After commit: the freed seats in the availability snapshot, the released holds' Redis locks gone. */
  private async seatsFreed(eventId: string, indexes: number[], releasedHolds: { id: string; seatIds: string[] }[] = []): Promise<void> {
    const inv = this.ports.inventory;
    if (indexes.length) await afterCommit(this.deps.logger, 'applySeatChanges', () => inv.applySeatChanges(eventId, indexes.map((i) => [i, 'a'])));
    for (const h of releasedHolds) await afterCommit(this.deps.logger, 'releaseLocks', () => inv.releaseLocks(eventId, h.id, h.seatIds));
  }

  /** After commit: cached event reads are stale (the events module's facts feed the waiting room too). */
  private async eventChanged(eventId: string): Promise<void> {
    await afterCommit(this.deps.logger, 'events.invalidate', () => this.ports.events.invalidate(eventId));
  }

  /**
   * Admin: cancel an event. Marks it cancelled and ends active holds in one transaction (a
   * checkout in flight then fails its sale and refunds itself), then refunds every completed
   * order one by one. Safe to repeat: already refunded orders are not touched again.
   */
  async cancelEvent(eventId: string): Promise<EventCancelResult> {
    const marked = await withTransaction(this.deps.db, async (tx) => {
      const m = await markEventCancelled(tx, eventId);
      if (!m) return null;
      const released = await releaseEventHolds(tx, eventId);
      return { ...m, released };
    });
    if (!marked) throw new NotFoundError('Event');
    await this.seatsFreed(eventId, marked.released.indexes, marked.released.holds);
    await this.eventChanged(eventId);

    let ordersRefunded = 0;
    let refundsFailed = 0;
    let seatsReleased = marked.released.indexes.length;
    // A few refunds in parallel: a big event has thousands of orders, each a provider round trip.
    const queue = await completedOrderIds(this.deps.db, eventId);
    const worker = async () => {
      for (let orderId = queue.shift(); orderId; orderId = queue.shift()) {
        const o = await findOrderForRefund(this.deps.db, orderId);
        if (!o || o.status !== 'completed' || !o.paymentId) continue;
        try {
          const seats = await this.refund(o.id, eventId, o.paymentId);
          if (seats !== null) {
            ordersRefunded += 1;
            seatsReleased += seats;
          }
        } catch {
          refundsFailed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: REFUND_CONCURRENCY }, worker));
    await this.eventChanged(eventId);
    return {
      eventId,
      cancelledAt: marked.cancelledAt.toISOString(),
      alreadyCancelled: marked.alreadyCancelled,
      ordersRefunded,
      refundsFailed,
      holdsReleased: marked.released.holds.length,
      seatsReleased,
    };
  }

  /** Admin: refunds owed and not yet made, oldest first, with attempts and the last error. */
  refundsPending(limit = 100): Promise<RefundPendingList> {
    return listRefundPending(this.deps.db, limit);
  }

  /** Sum of the event's completed orders, in cents (admin stats). */
  eventRevenue(eventId: string): Promise<number> {
    return eventRevenue(this.deps.db, eventId);
  }
}
