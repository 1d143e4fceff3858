import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { lockHold, restoreHold } from '../inventory/seat-ledger.js';
import type { OrderRow } from './checkout.repo.js';
import { claimOldUnavailable, claimStalePending, claimStaleReconciling, failReconciled } from './checkout-recovery.repo.js';
import { OrderTakenOver } from './checkout-errors.js';
import type { CheckoutPorts } from './checkout.ports.js';
import type { CheckoutSale } from './checkout-sale.js';
import { checkoutMetrics, staleSeconds } from './checkout.service.js';
import type { OwedRefunds } from './owed-refunds.js';

/** A payment_unavailable order not retried for this long is settled by the reconciler (late charges refunded). */
const UNAVAILABLE_SETTLE_SECONDS = 15 * 60;

/**
 * Recovery of checkouts a crash interrupted (ADR 0016), run periodically on every instance
 * (claims are exclusive):
 * - a 'pending' order nobody has touched for a while belongs to a process that died between
 *   reserve and sale, and a 'payment_unavailable' order not retried for 15 minutes may have a
 *   late charge. Each is claimed (→ reconciling) and its charge looked up at the provider by the
 *   order id. Charged: the order is COMPLETED through the same sale as a checkout when its hold
 *   is still the buyer's; only when the seats are gone is the refund owed (→ refund_pending).
 *   Not charged: failed, and the hold gets its own expiry back;
 * - owed refunds that are due are tried again (OwedRefunds, back-off in the row).
 */
export class CheckoutRecovery {
  private readonly metrics;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'logger' | 'env' | 'metrics'>,
    private readonly ports: Pick<CheckoutPorts, 'payments'>,
    private readonly sale: CheckoutSale,
    private readonly refunds: OwedRefunds,
  ) {
    this.metrics = checkoutMetrics(deps);
  }

  /** One pass; returns how many orders it settled. */
  async reconcile(limit = 20): Promise<number> {
    let settled = 0;
    const stale = staleSeconds(this.deps.env);
    const claimed = [
      ...(await claimStalePending(this.deps.db, stale, limit)),
      ...(await this.claimSafely(() => claimOldUnavailable(this.deps.db, UNAVAILABLE_SETTLE_SECONDS, limit))),
      ...(await claimStaleReconciling(this.deps.db, stale, limit)),
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
      charge = await this.ports.payments.findCharge(order.id);
    } catch (err) {
      this.deps.logger.warn({ err, orderId: order.id }, 'recovery could not look the charge up; the claim goes stale and a later run retries');
      return false;
    }
    if (!charge) {
      const failed = await withTransaction(this.deps.db, async (tx) => {
        // Lock order as everywhere else (hold before order) so this never deadlocks with a sale.
        if (order.holdId) await lockHold(tx, order.holdId);
        if (!(await failReconciled(tx, order.id, 'hold_expired'))) return false;
        if (order.holdId && order.holdExpiresAt) await restoreHold(tx, order.holdId, order.holdExpiresAt);
        return true;
      });
      if (failed) {
        this.metrics.failures.inc({ reason: 'abandoned' });
        this.deps.logger.warn({ orderId: order.id }, 'recovery failed an abandoned checkout that was never charged');
      }
      return failed;
    }
    try {
      const sold = await this.sale.sell(order, charge.paymentId, this.ports.payments.provider.name, null, 'reconciling');
      this.metrics.seatsSold.inc(sold.sold.length);
      // No browser session to free in the waiting room: its slot ends by itself.
      await this.sale.afterSale(order.eventId, order.holdId!, sold.sold, null);
      this.deps.logger.warn({ orderId: order.id, seats: sold.sold.length }, 'recovery completed a charged checkout interrupted by a crash');
      return true;
    } catch (saleErr) {
      if (saleErr instanceof OrderTakenOver) return false; // another worker's claim replaced ours: it settles the order
      if (!(saleErr instanceof AppError)) {
        // A fault, not a refusal: refund nothing; the claim goes stale and a later run tries the sale again.
        this.deps.logger.error({ err: saleErr, orderId: order.id }, 'recovery sale failed; retried when the claim goes stale');
        return false;
      }
      const outcome = await this.sale.refundUnsold(order, charge.paymentId, null, saleErr, 'reconciling');
      if (outcome !== 'not_ours') {
        this.metrics.failures.inc({ reason: 'abandoned' });
        this.deps.logger.warn({ orderId: order.id, outcome }, 'recovery could not complete a charged checkout (seats gone); refund owed');
      }
      return outcome === 'refunded';
    }
  }
}
