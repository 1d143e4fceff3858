import type { EventCancelResult, Order, OrderList, RefundPendingList } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.js';
import type { PaymentsService } from '../payments/payments.service.js';
import type { SideEffects } from '../checkout/side-effects.js';
import {
  completedOrderIds,
  eventRevenue,
  findOrder,
  findOrderForRefund,
  listOrders,
  listRefundPending,
  markEventCancelled,
  markOrderRefunded,
  releaseActiveHolds,
} from './orders.repo.js';

const REFUND_CONCURRENCY = 8;

/** Orders after checkout: reading them, refunds (by the buyer or by an event cancellation), revenue. */
export class OrdersService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'logger'>,
    private readonly payments: PaymentsService,
    private readonly effects: SideEffects,
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
  private async refund(orderId: string, eventId: string, paymentId: string): Promise<boolean> {
    try {
      await this.payments.refund(paymentId);
    } catch (err) {
      this.deps.logger.warn({ err, orderId }, 'refund failed at the provider');
      throw new AppError(503, 'payment_unavailable', 'The refund could not be made right now. Try again shortly.', {}, { 'Retry-After': '5' });
    }
    const freed = await withTransaction(this.deps.db, (tx) => markOrderRefunded(tx, orderId));
    if (freed) await this.effects.seatsFreed(eventId, freed);
    return freed !== null;
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
      const released = await releaseActiveHolds(tx, eventId);
      const at = await tx.query(`SELECT cancelled_at FROM events WHERE id = $1`, [eventId]);
      return { ...m, released, cancelledAt: at.rows[0].cancelled_at as Date };
    });
    if (!marked) throw new NotFoundError('Event');
    await this.effects.seatsFreed(eventId, marked.released.indexes, marked.released.holds);
    await this.effects.eventChanged(eventId);

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
          const seats = await this.countSeats(orderId);
          if (await this.refund(o.id, eventId, o.paymentId)) {
            ordersRefunded += 1;
            seatsReleased += seats;
          }
        } catch {
          refundsFailed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: REFUND_CONCURRENCY }, worker));
    await this.effects.eventChanged(eventId);
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

  private async countSeats(orderId: string): Promise<number> {
    const { rows } = await this.deps.db.query(`SELECT count(*) AS n FROM event_seats WHERE order_id = $1`, [orderId]);
    return rows[0].n;
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
