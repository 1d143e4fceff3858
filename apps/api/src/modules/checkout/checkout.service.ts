import { createHmac, randomUUID } from 'node:crypto';
import type { CheckoutInput, Order } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.js';
import { counter, histogram } from '../../platform/metrics.js';
import { withSpan } from '../../platform/spans.js';
import { PaymentDeclined, PaymentUnavailable } from '../payments/payment-provider.js';
import type { PaymentsService } from '../payments/payments.service.js';
import type { TicketSigner } from '../tickets/ticket-code.js';
import type { OrdersService } from '../orders/orders.service.js';
import type { OrderReason } from '../orders/order-states.js';
import {
  claimOldUnavailable,
  claimStalePending,
  claimStaleReconciling,
  extendHold,
  failOrder,
  failReconciled,
  completeSale,
  findOrderByKey,
  lockForSale,
  lockHold,
  reserveAndClaim,
  reserveFacts,
  reclaimOrder,
  restoreHoldExpiry,
  sellHeldSeatsDetailed,
  upsertPayment,
  type OrderRow,
  type SoldSeat,
} from './checkout.repo.js';
import type { OwedRefunds } from './owed-refunds.js';
import type { SideEffects } from './side-effects.js';

/** Who is checking out: the account and its browser session (for the waiting room). */
export interface Buyer {
  userId: string;
  sessionId: string;
}


/** A payment_unavailable order not retried for this long is settled by the reconciler (late charges refunded). */
const UNAVAILABLE_SETTLE_SECONDS = 15 * 60;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown inside tx1 to roll back when a concurrent request with the same key won the insert. */
class KeyTaken extends Error {}

/** Thrown inside the sale when the order left the caller's status (recovery claimed it): roll back, answer its outcome. */
class OrderTakenOver extends Error {}

/**
 * Checkout: hold → paid order with tickets, exactly once per (user, idempotency key).
 *
 * 1. reserve (short transaction): lock the hold, check it, claim the key with a 'pending'
 *    order (insert-first; UNIQUE (user_id, idempotency_key)), push the hold's expiry by the
 *    payment grace so the expiry worker leaves it alone;
 * 2. charge, outside any transaction, with the ORDER ID as the provider's idempotency key;
 * 3. sell (second transaction): seats → sold, hold → converted, order → completed, tickets.
 *    If the sale fails after a successful charge, the charge is refunded.
 * See docs/architecture/checkout.md for the state machine.
 */
export class CheckoutService {
  private readonly duration;
  private readonly failures;
  private readonly seatsSold;
  private readonly hashKey: string;

  constructor(
    private readonly deps: AppDeps,
    private readonly payments: PaymentsService,
    private readonly signer: TicketSigner,
    private readonly orders: OrdersService,
    private readonly effects: SideEffects,
    private readonly refunds: OwedRefunds,
  ) {
    const r = deps.metrics.registry;
    this.duration = histogram(r, 'checkout_duration_seconds', 'Checkout request duration by outcome', ['outcome'] as const, [
      0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
    this.failures = counter(r, 'checkout_failures_total', 'Failed checkouts by reason', ['reason'] as const);
    this.seatsSold = counter(r, 'seats_sold_total', 'Seats sold by completed checkouts');
    this.hashKey = `idempotency:${deps.env.SESSION_SECRET}`;
  }

  /** How long a 'pending' order may sit untouched before another attempt may take it over. */
  private get staleSeconds(): number {
    return Math.ceil(this.deps.env.PAYMENT_TIMEOUT_MS / 1000) * 2 + 10;
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

  async checkout(buyer: Buyer, key: string, input: CheckoutInput): Promise<Order> {
    const end = this.duration.startTimer();
    try {
      const order = await withSpan('checkout', () => this.run(buyer, key, input));
      end({ outcome: 'completed' });
      return order;
    } catch (err) {
      const reason = err instanceof AppError ? err.code : 'internal_error';
      end({ outcome: reason });
      this.failures.inc({ reason });
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
      this.payments.assertAvailable();
    } catch (err) {
      throw this.toAppError(err);
    }
  }

  /**
   * The same key again. Same body → the stored outcome (201 order, 402, 410), or wait for the
   * attempt in flight; a retryable outcome (payment_unavailable, or a pending order abandoned
   * by a crashed process) is attempted again under the SAME order id, which is the provider's
   * idempotency key, so a charge that did go through is found rather than repeated.
   */
  private async replay(buyer: Buyer, order: OrderRow, hash: string, input: CheckoutInput): Promise<Order> {
    if (order.requestHash !== hash) {
      throw new AppError(422, 'idempotency_conflict', 'This Idempotency-Key was already used with a different request.');
    }
    const deadline = Date.now() + this.deps.env.PAYMENT_TIMEOUT_MS + 2_000;
    let current: OrderRow | null = order;
    for (;;) {
      if (!current) throw new Error('order vanished');
      switch (current.status) {
        case 'refund_pending':
        case 'refunded':
          // Charged but never sold (the refund is owed or made): the stored failure, as the first answer said.
          if (current.failureCode) throw this.storedFailure(current.failureCode);
        // falls through: a completed order refunded later is an order
        case 'completed':
        case 'cancelled': {
          const o = await this.orders.getOrder(current.id, buyer.userId);
          if (!o) throw new NotFoundError('Order');
          return o;
        }
        case 'reconciling':
          break; // the recovery worker is settling it: wait for its outcome
        case 'failed':
          if (current.failureCode === 'payment_unavailable') {
            this.failFastIfBreakerOpen();
            const again = await this.reserve(buyer, current.idempotencyKey, hash, input, current);
            if (again !== 'key_taken') return this.payAndSell(buyer, again, input);
            break; // someone else retried it first: wait for their outcome
          }
          throw this.storedFailure(current.failureCode);
        case 'pending':
          if (current.ageSeconds > this.staleSeconds) {
            const again = await this.reserve(buyer, current.idempotencyKey, hash, input, current);
            if (again !== 'key_taken') return this.payAndSell(buyer, again, input);
          }
          break;
      }
      if (Date.now() > deadline) {
        throw new AppError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.', {}, { 'Retry-After': '1' });
      }
      await sleep(40 + Math.random() * 40);
      current = await findOrderByKey(this.deps.db, buyer.userId, order.idempotencyKey);
    }
  }

  private storedFailure(code: string | null): AppError {
    switch (code) {
      case 'payment_declined':
        return new AppError(402, 'payment_declined', 'The payment was declined.');
      case 'card_invalid':
        return new AppError(402, 'card_invalid', 'The card number is not valid. Nothing was charged.');
      case 'event_cancelled':
        return new AppError(409, 'event_cancelled', 'This event has been cancelled.');
      default:
        return new AppError(410, 'hold_expired', 'The hold has expired or is no longer active. Nothing was charged.');
    }
  }

  /**
   * Transaction 1: lock and check the hold, claim the key with a pending order (or reclaim
   * `retry`), push the expiry by the payment grace. Returns 'key_taken' when another request
   * owns the key (or the retry) — the caller then waits for that request's outcome.
   */
  private async reserve(buyer: Buyer, key: string, hash: string, input: CheckoutInput, retry: OrderRow | null): Promise<OrderRow | 'key_taken'> {
    try {
      return await withTransaction(this.deps.db, async (tx) => {
        const hold = await lockHold(tx, input.holdId);
        // Another user's hold is reported exactly like a missing one.
        if (!hold || hold.userId !== buyer.userId) throw new NotFoundError('Hold');
        const holdOk = hold.status === 'active' && !hold.expired;
        if (!retry) {
          // The usual first attempt: checks, key claim and expiry push in one statement.
          const claim = await reserveAndClaim(tx, {
            holdId: hold.id,
            eventId: hold.eventId,
            userId: buyer.userId,
            key,
            requestHash: hash,
            holdOk,
            holdExpiresAt: hold.expiresAt,
            graceSeconds: this.deps.env.PAYMENT_GRACE_SECONDS,
          });
          // A concurrent request with this key got the hold lock first: its outcome is ours.
          if (claim.keyTaken) throw new KeyTaken();
          this.checkReservable(holdOk, claim);
          if (!claim.order) throw new KeyTaken();
          return claim.order;
        }
        const facts = await reserveFacts(tx, { holdId: hold.id, eventId: hold.eventId, userId: buyer.userId, key, exceptOrderId: retry.id });
        this.checkReservable(holdOk, facts);
        const order = await reclaimOrder(tx, retry.id, this.staleSeconds, facts.totalCents, hold.expiresAt);
        if (!order) throw new KeyTaken();
        await extendHold(tx, hold.id, this.deps.env.PAYMENT_GRACE_SECONDS);
        return order;
      });
    } catch (err) {
      if (err instanceof KeyTaken) return 'key_taken';
      // The partial unique index (one live order per hold) as a backstop for the check above.
      if ((err as { code?: string }).code === '23505') return 'key_taken';
      throw err;
    }
  }

  /** Reserve's refusals, in order: the hold gone or expired, the event cancelled, another live order of the hold. */
  private checkReservable(holdOk: boolean, facts: { seatCount: number; cancelled: boolean; currency: string | null; liveOrder: boolean }): void {
    if (!holdOk || facts.seatCount === 0) throw this.storedFailure('hold_expired');
    if (facts.cancelled || !facts.currency) throw this.storedFailure('event_cancelled');
    if (facts.liveOrder) throw new ConflictError('A checkout of this hold is already in progress.', 'idempotency_in_progress');
  }

  /** Charge (no transaction open), then sell; every failure leaves a final, consistent order row. */
  private async payAndSell(buyer: Buyer, order: OrderRow, input: CheckoutInput): Promise<Order> {
    const card = input.payment;
    const last4 = card.cardNumber.slice(-4);
    const providerName = this.payments.provider.name;
    let paymentId: string;
    try {
      ({ paymentId } = await this.payments.charge({
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
        if (order.holdId && order.holdExpiresAt) await restoreHoldExpiry(tx, order.holdId, order.holdExpiresAt);
        await failOrder(tx, order.id, reason);
        await upsertPayment(tx, {
          orderId: order.id,
          provider: providerName,
          providerRef: null,
          amountCents: order.totalCents,
          currency: order.currency,
          status: reason === 'payment_unavailable' ? 'failed' : 'declined',
          last4,
        });
      });
      throw this.toAppError(err);
    }

    let sale: { order: Order; sold: SoldSeat[] };
    try {
      sale = await this.sell(order, paymentId, providerName, last4, 'pending');
    } catch (saleErr) {
      if (!(saleErr instanceof AppError) && !(saleErr instanceof OrderTakenOver)) {
        // Not a refusal but a fault (lost connection, deadlock …): the hold may still be the
        // buyer's, so nothing is refunded. The order stays pending; a same-key retry or the
        // recovery worker completes it (or owes the refund if the seats are gone by then).
        this.deps.logger.error({ err: saleErr, orderId: order.id }, 'sale transaction failed after a successful charge; left for recovery');
        throw new AppError(503, 'service_unavailable', 'The order could not be completed right now. Retry with the same Idempotency-Key.', {}, { 'Retry-After': '5' });
      }
      const outcome = saleErr instanceof OrderTakenOver ? 'not_ours' : await this.refundUnsold(order, paymentId, last4, saleErr, 'pending');
      if (outcome === 'not_ours') {
        // The recovery worker claimed this order meanwhile (we were slower than the stale
        // window): it completes or refunds it; answer what it decides.
        const now = await findOrderByKey(this.deps.db, buyer.userId, order.idempotencyKey);
        if (now) return this.replay(buyer, now, now.requestHash, input);
      }
      throw saleErr;
    }

    this.seatsSold.inc(sale.sold.length);
    await this.effects.afterSale(order.eventId, order.holdId!, sale.sold, buyer);
    return sale.order;
  }

  /**
   * Transaction 2: the sale — the one completion path, for a checkout (`from` 'pending') and for
   * recovery after a crash (`from` 'reconciling', the order it claimed). Throws an AppError when
   * the hold is no longer ours to sell. Returns the order as the buyer sees it.
   */
  private async sell(order: OrderRow, paymentId: string, provider: string, last4: string | null, from: 'pending' | 'reconciling'): Promise<{ order: Order; sold: SoldSeat[] }> {
    return withTransaction(this.deps.db, async (tx) => {
      const locked = order.holdId ? await lockForSale(tx, order.eventId, order.holdId) : null;
      if (locked?.cancelled) throw this.storedFailure('event_cancelled');
      // Still active is what matters: the grace kept the worker away; if it ended the hold anyway, we do not sell.
      if (!locked || locked.userId !== order.userId || locked.holdStatus !== 'active') throw this.storedFailure('hold_expired');
      const sold = await sellHeldSeatsDetailed(tx, order.holdId!, order.id);
      // The seats must be exactly what was priced at reserve time (nothing lost, nothing re-priced).
      if (!sold.length || sold.reduce((sum, s) => sum + s.priceCents, 0) !== order.totalCents) throw this.storedFailure('hold_expired');
      const tickets = sold.map((s) => {
        const id = randomUUID();
        return { id, seat: s, code: this.signer.sign(id, order.eventId) };
      });
      // Hold converted, order completed, payment recorded, tickets issued: one statement.
      const completed = await completeSale(tx, {
        holdId: order.holdId!,
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
      return {
        sold,
        order: {
          id: order.id,
          eventId: order.eventId,
          event: { name: locked.eventName, startsAt: locked.startsAt.toISOString(), venueName: locked.venueName, venueTimeZone: locked.venueTimeZone },
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
  private async refundUnsold(order: OrderRow, paymentId: string, last4: string | null, cause: AppError, from: 'pending' | 'reconciling') {
    const reason: OrderReason = cause.code === 'event_cancelled' ? 'event_cancelled' : 'hold_expired';
    return this.refunds.owe(
      { orderId: order.id, from, reason, paymentId, amountCents: order.totalCents, currency: order.currency, last4 },
      from === 'pending' ? 'sale' : 'recovery',
    );
  }

  /**
   * Recovery, run periodically (every instance may run it at once; claims are exclusive):
   * - a 'pending' order nobody has touched for a while belongs to a process that died between
   *   reserve and sale, and a 'payment_unavailable' order not retried for 15 minutes may have a
   *   late charge. Each is claimed (→ reconciling) and its charge looked up at the provider by the
   *   order id. Charged: the order is COMPLETED through the same sale as a checkout when its hold
   *   is still the buyer's; only when the seats are gone is the refund owed (→ refund_pending).
   *   Not charged: failed, and the hold gets its own expiry back;
   * - owed refunds that are due are tried again (OwedRefunds, back-off in the row).
   * Returns how many orders it settled.
   */
  async reconcile(limit = 20): Promise<number> {
    let settled = 0;
    const claimed = [
      ...(await claimStalePending(this.deps.db, this.staleSeconds, limit)),
      ...(await this.claimSafely(() => claimOldUnavailable(this.deps.db, UNAVAILABLE_SETTLE_SECONDS, limit))),
      ...(await claimStaleReconciling(this.deps.db, this.staleSeconds, limit)),
    ];
    for (const order of claimed) {
      if (await this.recover(order)) settled += 1;
    }
    settled += await this.refunds.retryDue(limit);
    return settled;
  }

  /** A new checkout of the same hold may win a race with the settle claim (unique index): skip this round. */
  private async claimSafely(claim: () => Promise<OrderRow[]>): Promise<OrderRow[]> {
    try {
      return await claim();
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      this.deps.logger.info({ err }, 'settle claim met a new checkout of the same hold; retried next run');
      return [];
    }
  }

  /** Settle one claimed ('reconciling') order; true when it reached a final state. */
  private async recover(order: OrderRow): Promise<boolean> {
    let charge: { paymentId: string } | null;
    try {
      charge = await this.payments.findCharge(order.id);
    } catch (err) {
      this.deps.logger.warn({ err, orderId: order.id }, 'recovery could not look the charge up; the claim goes stale and a later run retries');
      return false;
    }
    if (!charge) {
      const failed = await withTransaction(this.deps.db, async (tx) => {
        // Lock order as everywhere else (hold before order) so this never deadlocks with a sale.
        if (order.holdId) await lockHold(tx, order.holdId);
        if (!(await failReconciled(tx, order.id, 'hold_expired'))) return false;
        if (order.holdId && order.holdExpiresAt) await restoreHoldExpiry(tx, order.holdId, order.holdExpiresAt);
        return true;
      });
      if (failed) {
        this.failures.inc({ reason: 'abandoned' });
        this.deps.logger.warn({ orderId: order.id }, 'recovery failed an abandoned checkout that was never charged');
      }
      return failed;
    }
    try {
      const sale = await this.sell(order, charge.paymentId, this.payments.provider.name, null, 'reconciling');
      this.seatsSold.inc(sale.sold.length);
      // No browser session to free in the waiting room: its slot ends by itself.
      await this.effects.afterSale(order.eventId, order.holdId!, sale.sold, null);
      this.deps.logger.warn({ orderId: order.id, seats: sale.sold.length }, 'recovery completed a charged checkout interrupted by a crash');
      return true;
    } catch (saleErr) {
      if (saleErr instanceof OrderTakenOver) return false; // another worker's claim replaced ours: it settles the order
      if (!(saleErr instanceof AppError)) {
        // A fault, not a refusal: refund nothing; the claim goes stale and a later run tries the sale again.
        this.deps.logger.error({ err: saleErr, orderId: order.id }, 'recovery sale failed; retried when the claim goes stale');
        return false;
      }
      const outcome = await this.refundUnsold(order, charge.paymentId, null, saleErr, 'reconciling');
      if (outcome !== 'not_ours') {
        this.failures.inc({ reason: 'abandoned' });
        this.deps.logger.warn({ orderId: order.id, outcome }, 'recovery could not complete a charged checkout (seats gone); refund owed');
      }
      return outcome === 'refunded';
    }
  }

  private toAppError(err: unknown): AppError {
    if (err instanceof PaymentDeclined && err.reason === 'card_invalid') return this.storedFailure('card_invalid');
    if (err instanceof PaymentDeclined) return new AppError(402, 'payment_declined', 'The payment was declined.', { reason: err.reason });
    if (err instanceof PaymentUnavailable) {
      return new AppError(503, 'payment_unavailable', 'Payments are temporarily unavailable. Try again shortly with the same Idempotency-Key.', {}, {
        'Retry-After': String(err.retryAfterSeconds),
      });
    }
    if (err instanceof AppError) return err;
    throw err;
  }
}
