import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { counter, gauge } from '../../platform/metrics.js';
import type { OrderReason } from '../orders/order-states.js';
import type { CheckoutPorts } from './checkout.ports.js';
import { claimDueRefunds, countRefundPending, markRefunded, markRefundOwed, recordRefundFailure } from './owed-refunds.repo.js';

/** Where a refund attempt came from (metric label). */
type RefundSource = 'sale' | 'recovery' | 'retry';

/** Back-off of owed refunds: 10 s, 20 s, 40 s … capped at 15 minutes (ADR 0016). */
const DEFAULT_BACKOFF = { baseSeconds: 10, capSeconds: 15 * 60 };
/** From this many failed attempts on, each failure is logged at error level: someone must act. */
const ALERT_AFTER_ATTEMPTS = 5;

/** What happened to a charge that will not become a sale. */
export type RefundOutcome = 'refunded' | 'scheduled' | 'not_ours';

/**
 * Refunds owed for charges that did not become sales (ADR 0016). The order first goes to
 * `refund_pending` in the database — the decision, made once — and then the provider is asked;
 * a failed attempt is logged, counted and scheduled again with back-off in the order row, so no
 * owed refund is forgotten by a crash and every instance's worker shares one schedule. The
 * provider's refund is idempotent on the payment, so a repeated attempt never refunds twice.
 */
export class OwedRefunds {
  private readonly failures;
  private readonly pendingGauge;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'logger' | 'metrics' | 'env'>,
    private readonly payments: Pick<CheckoutPorts['payments'], 'refund' | 'provider'>,
    private readonly backoff = DEFAULT_BACKOFF,
  ) {
    const r = deps.metrics.registry;
    this.failures = counter(r, 'refund_failures_total', 'Failed refund attempts of charges that did not become sales, by source', ['source'] as const);
    this.pendingGauge = gauge(r, 'orders_refund_pending', 'Orders whose refund is owed and not yet confirmed by the provider (updated by the recovery worker)');
  }

  /**
   * Owe the refund of `paymentId` for an order that cannot be sold, then try it once now.
   * 'not_ours' when the order had left `from` (completed or settled by someone else): nothing
   * is refunded then.
   */
  async owe(
    o: { orderId: string; from: 'pending' | 'reconciling'; reason: OrderReason; paymentId: string; amountCents: number; currency: string; last4: string | null },
    source: Exclude<RefundSource, 'retry'>,
  ): Promise<RefundOutcome> {
    const owed = await withTransaction(this.deps.db, (tx) => markRefundOwed(tx, { ...o, provider: this.payments.provider.name }));
    if (!owed) return 'not_ours';
    return this.attempt(o.orderId, o.paymentId, source);
  }

  /** Retry the refunds that are due (every instance may run this at once). Returns how many went through. */
  async retryDue(limit: number): Promise<number> {
    const lease = Math.ceil((this.deps.env.PAYMENT_TIMEOUT_MS * 4) / 1000) + 10;
    let done = 0;
    for (const r of await claimDueRefunds(this.deps.db, lease, limit)) {
      if ((await this.attempt(r.id, r.paymentId, 'retry')) === 'refunded') done += 1;
    }
    this.pendingGauge.set(await countRefundPending(this.deps.db));
    return done;
  }

  private async attempt(orderId: string, paymentId: string, source: RefundSource): Promise<RefundOutcome> {
    try {
      await this.payments.refund(paymentId);
    } catch (err) {
      this.failures.inc({ source });
      const message = err instanceof Error ? err.message : String(err);
      const next = await recordRefundFailure(this.deps.db, orderId, message, this.backoff);
      const level = next && next.attempts >= ALERT_AFTER_ATTEMPTS ? 'error' : 'warn';
      this.deps.logger[level]({ err, orderId, source, attempts: next?.attempts, nextAttemptAt: next?.nextAttemptAt }, 'refund failed; retrying with back-off');
      return 'scheduled';
    }
    await withTransaction(this.deps.db, (tx) => markRefunded(tx, orderId));
    this.deps.logger.info({ orderId, source }, 'refund made for a charge that did not become a sale');
    return 'refunded';
  }
}
