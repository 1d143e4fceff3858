import { randomUUID } from 'node:crypto';
import type { Order } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { afterCommit } from '../../platform/after-commit.js';
import type { AppError } from '../../platform/errors.js';
import { lockHoldForSale, sellHeldSeats, type SoldSeat } from '../inventory/seat-ledger.js';
import type { OrderReason } from '../orders/order-states.js';
import { completeSale, type OrderRow } from './checkout.repo.js';
import { OrderTakenOver, storedFailure } from './checkout-errors.js';
import type { CheckoutPorts } from './checkout.ports.js';
import type { OwedRefunds, RefundOutcome } from './owed-refunds.js';

/**
 * The sale — transaction 2 of a checkout and the one completion path of recovery — and what
 * follows it: the refund owed when a charge cannot become a sale, and the after-commit calls
 * other modules observe.
 */
export class CheckoutSale {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'logger'>,
    private readonly ports: Pick<CheckoutPorts, 'inventory' | 'queue' | 'tickets'>,
    private readonly refunds: OwedRefunds,
  ) {}

  /**
   * Sell the order's hold (`from` 'pending' for a checkout, 'reconciling' for the order recovery
   * claimed). Throws an AppError when the hold is no longer ours to sell, OrderTakenOver when the
   * order left `from`. Returns the order as the buyer sees it.
   */
  async sell(order: OrderRow, paymentId: string, provider: string, last4: string | null, from: 'pending' | 'reconciling'): Promise<{ order: Order; sold: SoldSeat[] }> {
    return withTransaction(this.deps.db, async (tx) => {
      const locked = order.holdId ? await lockHoldForSale(tx, order.eventId, order.holdId) : null;
      if (locked?.cancelled) throw storedFailure('event_cancelled');
      // Still active is what matters: the grace kept the worker away; if it ended the hold anyway, we do not sell.
      if (!locked || locked.userId !== order.userId || locked.holdStatus !== 'active') throw storedFailure('hold_expired');
      const sold = await sellHeldSeats(tx, order.holdId!, order.id);
      // The seats must be exactly what was priced at reserve time (nothing lost, nothing re-priced).
      if (!sold.length || sold.reduce((sum, s) => sum + s.priceCents, 0) !== order.totalCents) throw storedFailure('hold_expired');
      const tickets = sold.map((s) => {
        const id = randomUUID();
        return { id, seat: s, code: this.ports.tickets.sign(id, order.eventId) };
      });
      const completed = await completeSale(tx, {
        orderId: order.id,
        paymentId,
        provider,
        amountCents: order.totalCents,
        currency: order.currency,
        last4,
        tickets: tickets.map((t) => ({ id: t.id, seatId: t.seat.id, code: t.code })),
        from,
      });
      if (!completed) throw new OrderTakenOver(`order left ${from} state during sale`);
      const e = completed.event;
      return {
        sold,
        order: {
          id: order.id,
          eventId: order.eventId,
          event: { name: e.name, startsAt: e.startsAt.toISOString(), venueName: e.venueName, venueTimeZone: e.venueTimeZone },
          status: 'completed' as const,
          statusReason: null,
          totalCents: order.totalCents,
          currency: order.currency,
          createdAt: completed.createdAt.toISOString(),
          tickets: tickets.map((t) => ({ id: t.id, seat: { section: t.seat.section, row: t.seat.row, number: t.seat.number }, code: t.code, checkedInAt: null })),
        },
      };
    });
  }

  /**
   * The charge went through but the sale did not: owe the refund (order → refund_pending) and try
   * it. Never a charge without an order; a refund that fails is retried with back-off by the
   * recovery worker. 'not_ours' when the order had left `from` (someone else settles it).
   */
  refundUnsold(order: OrderRow, paymentId: string, last4: string | null, cause: AppError, from: 'pending' | 'reconciling'): Promise<RefundOutcome> {
    const reason: OrderReason = cause.code === 'event_cancelled' ? 'event_cancelled' : 'hold_expired';
    return this.refunds.owe(
      { orderId: order.id, from, reason, paymentId, amountCents: order.totalCents, currency: order.currency, last4 },
      from === 'pending' ? 'sale' : 'recovery',
    );
  }

  /**
   * After the sale committed: the snapshot shows the seats sold, the hold's Redis locks go, the
   * shopper's waiting-room slot is freed (`who` null: a sale completed by recovery, no session).
   * Independent of each other, so sent together; none can fail the answer.
   */
  async afterSale(eventId: string, holdId: string, sold: SoldSeat[], who: { userId: string; sessionId: string } | null): Promise<void> {
    const { inventory, queue } = this.ports;
    const log = this.deps.logger;
    await Promise.all([
      afterCommit(log, 'applySeatChanges', () => inventory.applySeatChanges(eventId, sold.map((s) => [s.index, 's']))),
      afterCommit(log, 'releaseLocks', () => inventory.releaseLocks(eventId, holdId, sold.map((s) => s.id))),
      who ? afterCommit(log, 'finishShopping', () => queue.finishShopping(eventId, who)) : undefined,
    ]);
  }
}
