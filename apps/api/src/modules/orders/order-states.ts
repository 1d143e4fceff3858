/**
 * The order state machine (ADR 0015, docs/architecture/checkout.md "Order states").
 *
 * The database enforces it: a CHECK allows only these statuses, and the trigger
 * `orders_status_transition` (migration 1795513000000_order_states.sql) refuses any UPDATE that
 * changes the status along an edge not listed here. This table mirrors that trigger for code and
 * docs; `order-states.test.ts` walks every pair of statuses against the database, so the two
 * cannot drift apart.
 */
export const ORDER_STATUSES = ['pending', 'reconciling', 'completed', 'failed', 'refund_pending', 'refunded', 'cancelled'] as const;
export type OrderState = (typeof ORDER_STATUSES)[number];

/** Every allowed status change (an UPDATE that keeps the status is always allowed). */
export const ORDER_TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = {
  /** Reserved; charge and sale in flight. */
  pending: ['completed', 'failed', 'refund_pending', 'reconciling'],
  /** Claimed by the recovery worker (its process died, or a payment_unavailable charge is being settled). */
  reconciling: ['completed', 'failed', 'refund_pending'],
  /** Only `payment_unavailable` may leave: a same-key retry (→ pending) or the settle claim (→ reconciling). */
  failed: ['pending', 'reconciling'],
  /** Charged, not sold, refund owed: retried with back-off until the provider confirms. */
  refund_pending: ['refunded'],
  completed: ['refunded'],
  refunded: [],
  /** Kept for the contract; nothing moves an order here today. */
  cancelled: [],
};

/** Why an order failed or was refunded without being completed (orders.failure_code). */
export type OrderReason = 'payment_declined' | 'card_invalid' | 'payment_unavailable' | 'hold_expired' | 'event_cancelled' | 'sale_failed';

/** Statuses in which an order may still sell its hold, or has sold it (orders_one_live_per_hold). */
export const LIVE_STATUSES: readonly OrderState[] = ['pending', 'reconciling', 'completed'];

/** Whether `from → to` is an allowed change. */
export function canTransition(from: OrderState, to: OrderState): boolean {
  return from === to || ORDER_TRANSITIONS[from].includes(to);
}
