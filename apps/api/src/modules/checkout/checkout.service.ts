import { createHmac } from 'node:crypto';
import type { CheckoutInput, Order } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.js';
import { counter, histogram } from '../../platform/metrics.js';
import { withSpan } from '../../platform/spans.js';
import { extendHold, lockHold, restoreHold } from '../inventory/seat-ledger.js';
import { PaymentDeclined } from '../payments/payment-provider.js';
import type { OrderReason } from '../orders/order-states.js';
import { claimOrder, failOrder, findOrderByKey, orderFacts, reclaimOrder, upsertPayment, type OrderFacts, type OrderRow } from './checkout.repo.js';
import { checkoutInProgress, OrderTakenOver, paymentError, storedFailure } from './checkout-errors.js';
import type { CheckoutPorts } from './checkout.ports.js';
import type { CheckoutRecovery } from './checkout-recovery.js';
import type { CheckoutSale } from './checkout-sale.js';

/** Who is checking out: the account and its browser session (for the waiting room). */
export interface Buyer {
  userId: string;
  sessionId: string;
}

/** Thrown inside reserve to roll back when another request owns the key (or the retry). */
class KeyTaken extends Error {}

/** Checkout's metrics, shared with recovery. */
export function checkoutMetrics(deps: Pick<AppDeps, 'metrics'>) {
  const r = deps.metrics.registry;
  return {
    duration: histogram(r, 'checkout_duration_seconds', 'Checkout request duration by outcome', ['outcome'] as const, [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
    failures: counter(r, 'checkout_failures_total', 'Failed checkouts by reason', ['reason'] as const),
    seatsSold: counter(r, 'seats_sold_total', 'Seats sold by completed checkouts'),
  };
}

/** How long a 'pending' order may sit untouched before another attempt (or recovery) may take it over. */
export function staleSeconds(env: AppDeps['env']): number {
  return Math.ceil(env.PAYMENT_TIMEOUT_MS / 1000) * 2 + 10;
}

/**
 * Checkout: hold → paid order with tickets, exactly once per (user, idempotency key).
 *
 * 1. reserve (short transaction): lock the hold and push its expiry by the payment grace (seat
 *    ledger), claim the key with a 'pending' order (insert-first; UNIQUE (user_id, idempotency_key));
 * 2. charge, outside any transaction, with the ORDER ID as the provider's idempotency key;
 * 3. sell (CheckoutSale): seats → sold, hold → converted, order → completed, tickets.
 *    If the sale fails after a successful charge, the charge is refunded.
 * The same key again is answered at once from the stored order: its outcome, a resumed attempt,
 * or 409 checkout_in_progress with Retry-After while another request (or recovery) holds it.
 * See docs/architecture/checkout.md for the state machine.
 */
export class CheckoutService {
  private readonly metrics;
  private readonly hashKey: string;

  constructor(
    private readonly deps: AppDeps,
    private readonly ports: Pick<CheckoutPorts, 'payments' | 'orders'>,
    private readonly sale: CheckoutSale,
    private readonly recovery: Pick<CheckoutRecovery, 'reconcile'>,
  ) {
    this.metrics = checkoutMetrics(deps);
    this.hashKey = `idempotency:${deps.env.SESSION_SECRET}`;
  }

  /**
   * Keyed hash of the canonical request: detects "same key, different body" without storing
   * card data (a plain SHA-256 of a card number could be brute-forced; an HMAC cannot without the key).
   */
  requestHash(input: CheckoutInput): string {
    const p = input.payment;
    const canonical = JSON.stringify([input.holdId, p.cardNumber, p.expMonth, p.expYear, p.cvc, p.name]);
    return createHmac('sha256', this.hashKey).update(canonical).digest('base64url');
  }

  /** One recovery pass (CheckoutRecovery): settles interrupted checkouts and retries owed refunds; returns how many it settled. */
  reconcile(limit = 20): Promise<number> {
    return this.recovery.reconcile(limit);
  }

  async checkout(buyer: Buyer, key: string, input: CheckoutInput): Promise<Order> {
    const end = this.metrics.duration.startTimer();
    try {
      const order = await withSpan('checkout', () => this.run(buyer, key, input));
      end({ outcome: 'completed' });
      return order;
    } catch (err) {
      const reason = err instanceof AppError ? err.code : 'internal_error';
      end({ outcome: reason });
      this.metrics.failures.inc({ reason });
      throw err;
    }
  }

  private async run(buyer: Buyer, key: string, input: CheckoutInput): Promise<Order> {
    const hash = this.requestHash(input);
    const existing = await findOrderByKey(this.deps.db, buyer.userId, key);
    if (existing) return this.replay(buyer, existing, hash, input);
    this.failFastIfBreakerOpen();
    const reserved = await this.reserve(buyer, key, hash, input, null);
    if (reserved === 'key_taken') {
      const winner = await findOrderByKey(this.deps.db, buyer.userId, key);
      if (!winner) throw new Error('idempotency key vanished');
      return this.replay(buyer, winner, hash, input);
    }
    return this.payAndSell(buyer, reserved, input);
  }

  private failFastIfBreakerOpen(): void {
    try {
      this.ports.payments.assertAvailable();
    } catch (err) {
      throw paymentError(err);
    }
  }

  /**
   * The same key again, answered at once (never waiting inside the request). Same body → the
   * stored outcome (201 order, 402, 409, 410); a retryable outcome (payment_unavailable, or a
   * pending order abandoned by a crashed process) is attempted again under the SAME order id, the
   * provider's idempotency key, so a charge that did go through is found rather than repeated;
   * an attempt in flight (another request, or recovery settling it) → 409 checkout_in_progress.
   */
  private async replay(buyer: Buyer, order: OrderRow, hash: string, input: CheckoutInput): Promise<Order> {
    if (order.requestHash !== hash) {
      throw new AppError(422, 'idempotency_conflict', 'This Idempotency-Key was already used with a different request.');
    }
    switch (order.status) {
      case 'refund_pending':
      case 'refunded':
        // Charged but never sold (the refund is owed or made): the stored failure, as the first answer said.
        if (order.failureCode) throw storedFailure(order.failureCode);
      // falls through: a completed order refunded later is an order
      case 'completed':
      case 'cancelled': {
        const o = await this.ports.orders.getOrder(order.id, buyer.userId);
        if (!o) throw new NotFoundError('Order');
        return o;
      }
      case 'failed':
        if (order.failureCode !== 'payment_unavailable') throw storedFailure(order.failureCode);
        this.failFastIfBreakerOpen();
        return this.resume(buyer, order, hash, input);
      case 'pending':
        if (order.ageSeconds > staleSeconds(this.deps.env)) return this.resume(buyer, order, hash, input);
        throw checkoutInProgress();
      case 'reconciling':
        throw checkoutInProgress();
    }
  }

  /** Another attempt under the same order; someone else resuming it first → in progress. */
  private async resume(buyer: Buyer, order: OrderRow, hash: string, input: CheckoutInput): Promise<Order> {
    const again = await this.reserve(buyer, order.idempotencyKey, hash, input, order);
    if (again === 'key_taken') throw checkoutInProgress();
    return this.payAndSell(buyer, again, input);
  }

  /**
   * Transaction 1: lock and check the hold, push its expiry by the payment grace, claim the key
   * with a pending order (or reclaim `retry`). Returns 'key_taken' when another request owns the
   * key (or the retry).
   */
  private async reserve(buyer: Buyer, key: string, hash: string, input: CheckoutInput, retry: OrderRow | null): Promise<OrderRow | 'key_taken'> {
    try {
      return await withTransaction(this.deps.db, async (tx) => {
        const hold = await lockHold(tx, input.holdId);
        // Another user's hold is reported exactly like a missing one.
        if (!hold || hold.userId !== buyer.userId) throw new NotFoundError('Hold');
        if (hold.status !== 'active' || hold.expired) throw storedFailure('hold_expired');
        // Every refusal below throws, which rolls the extension back.
        const held = await extendHold(tx, hold.id, this.deps.env.PAYMENT_GRACE_SECONDS);
        if (held.seatCount === 0) throw storedFailure('hold_expired');
        if (!retry) {
          const claim = await claimOrder(tx, {
            holdId: hold.id,
            eventId: hold.eventId,
            userId: buyer.userId,
            key,
            requestHash: hash,
            holdExpiresAt: hold.expiresAt,
            totalCents: held.totalCents,
          });
          // A concurrent request with this key got the hold lock first: its outcome is ours.
          if (claim.keyTaken) throw new KeyTaken();
          this.checkReservable(claim);
          if (!claim.order) throw new KeyTaken();
          return claim.order;
        }
        this.checkReservable(await orderFacts(tx, { holdId: hold.id, eventId: hold.eventId, userId: buyer.userId, key, exceptOrderId: retry.id }));
        const order = await reclaimOrder(tx, retry.id, staleSeconds(this.deps.env), held.totalCents, hold.expiresAt);
        if (!order) throw new KeyTaken();
        return order;
      });
    } catch (err) {
      if (err instanceof KeyTaken) return 'key_taken';
      // The partial unique index (one live order per hold) as a backstop for the check above.
      if ((err as { code?: string }).code === '23505') return 'key_taken';
      throw err;
    }
  }

  /** Reserve's refusals after the hold's: the event cancelled, another live order of the hold. */
  private checkReservable(facts: OrderFacts): void {
    if (facts.cancelled || !facts.currency) throw storedFailure('event_cancelled');
    if (facts.liveOrder) throw new ConflictError('A checkout of this hold is already in progress.', 'idempotency_in_progress');
  }

  /** Charge (no transaction open), then sell; every failure leaves a final, consistent order row. */
  private async payAndSell(buyer: Buyer, order: OrderRow, input: CheckoutInput): Promise<Order> {
    const card = input.payment;
    const last4 = card.cardNumber.slice(-4);
    const payments = this.ports.payments;
    let paymentId: string;
    try {
      ({ paymentId } = await payments.charge({
        idempotencyKey: order.id,
        amountCents: order.totalCents,
        currency: order.currency,
        card: { number: card.cardNumber, expMonth: card.expMonth, expYear: card.expYear, cvc: card.cvc, name: card.name },
      }));
    } catch (err) {
      const reason: OrderReason = err instanceof PaymentDeclined ? (err.reason === 'card_invalid' ? 'card_invalid' : 'payment_declined') : 'payment_unavailable';
      await withTransaction(this.deps.db, async (tx) => {
        // Hold before order, the lock order of every checkout transaction.
        // No free extension: the hold goes back to its own expiry and stays until then.
        if (order.holdId && order.holdExpiresAt) await restoreHold(tx, order.holdId, order.holdExpiresAt);
        await failOrder(tx, order.id, reason);
        await upsertPayment(tx, {
          orderId: order.id,
          provider: payments.provider.name,
          providerRef: null,
          amountCents: order.totalCents,
          currency: order.currency,
          status: reason === 'payment_unavailable' ? 'failed' : 'declined',
          last4,
        });
      });
      throw paymentError(err);
    }

    let sold;
    try {
      sold = await this.sale.sell(order, paymentId, payments.provider.name, last4, 'pending');
    } catch (saleErr) {
      if (!(saleErr instanceof AppError) && !(saleErr instanceof OrderTakenOver)) {
        // Not a refusal but a fault (lost connection, deadlock …): the hold may still be the
        // buyer's, so nothing is refunded. The order stays pending; a same-key retry or the
        // recovery worker completes it (or owes the refund if the seats are gone by then).
        this.deps.logger.error({ err: saleErr, orderId: order.id }, 'sale transaction failed after a successful charge; left for recovery');
        throw new AppError(503, 'service_unavailable', 'The order could not be completed right now. Retry with the same Idempotency-Key.', {}, { 'Retry-After': '5' });
      }
      const outcome = saleErr instanceof OrderTakenOver ? 'not_ours' : await this.sale.refundUnsold(order, paymentId, last4, saleErr, 'pending');
      if (outcome === 'not_ours') {
        // The recovery worker claimed this order meanwhile (we were slower than the stale
        // window): answer what it decided, or that it is still deciding.
        const now = await findOrderByKey(this.deps.db, buyer.userId, order.idempotencyKey);
        if (now) return this.replay(buyer, now, now.requestHash, input);
      }
      throw saleErr;
    }

    this.metrics.seatsSold.inc(sold.sold.length);
    await this.sale.afterSale(order.eventId, order.holdId!, sold.sold, buyer);
    return sold.order;
  }
}
