import type { Order } from '@ticketing/shared';

/** Why an order has no valid tickets, in the fan's words; a charged order that could not be completed says why. */
export function orderOutcomeMessage(order: Pick<Order, 'status' | 'statusReason'>): string {
  const why =
    order.statusReason === 'event_cancelled'
      ? 'the event was cancelled'
      : order.statusReason === 'hold_expired'
        ? 'your seats were no longer held when the payment went through'
        : order.statusReason === 'sale_failed'
          ? 'the sale could not be completed'
          : null;
  if (order.status === 'refund_pending') return `Your payment is being refunded: ${why ?? 'the order could not be completed'}. No tickets were issued.`;
  if (why) return `Your payment was refunded: ${why}. No tickets were issued.`;
  return `This order was ${order.status}; its tickets are no longer valid.`;
}
