import { named, type Queryable } from '../../platform/db.js';
import type { OrderReason } from '../orders/order-states.js';

/**
 * A charge that will not become a sale: the order goes `from` → refund_pending (with why and the
 * payment), due at once, and its payment is recorded as succeeded. Conditional on `from`, so of a
 * checkout, a recovery worker and a sale racing for one order exactly one owes the refund — and
 * never for an order that was completed. False when the order was no longer in `from`.
 */
export async function markRefundOwed(
  tx: Queryable,
  o: { orderId: string; from: 'pending' | 'reconciling'; reason: OrderReason; paymentId: string; provider: string; amountCents: number; currency: string; last4: string | null },
): Promise<boolean> {
  const { rows } = await tx.query(
    named(
      'co_refund_owed',
      `WITH o AS (
         UPDATE orders SET status = 'refund_pending', failure_code = $3, payment_id = $4, refund_attempts = 0,
                refund_next_attempt_at = now(), refund_last_error = NULL, updated_at = now()
          WHERE id = $1 AND status = $2
          RETURNING id
       ), p AS (
         INSERT INTO payments (order_id, provider, provider_ref, amount_cents, currency, status, card_last4)
         SELECT o.id, $5, $4, $6, $7, 'succeeded', $8 FROM o
         ON CONFLICT (order_id) DO UPDATE SET provider_ref = EXCLUDED.provider_ref, amount_cents = EXCLUDED.amount_cents,
           status = 'succeeded', card_last4 = COALESCE(EXCLUDED.card_last4, payments.card_last4), updated_at = now()
         RETURNING order_id
       )
       SELECT count(*)::int AS n FROM o`,
      [o.orderId, o.from, o.reason, o.paymentId, o.provider, o.amountCents, o.currency, o.last4],
    ),
  );
  return rows[0].n === 1;
}

/** refund_pending → refunded once the provider confirmed; the payment is marked refunded. */
export async function markRefunded(tx: Queryable, orderId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE orders SET status = 'refunded', refund_next_attempt_at = NULL, updated_at = now() WHERE id = $1 AND status = 'refund_pending'`,
    [orderId],
  );
  if (rowCount !== 1) return false;
  await tx.query(`UPDATE payments SET status = 'refunded', updated_at = now() WHERE order_id = $1`, [orderId]);
  return true;
}

/**
 * A refund attempt failed: count it, keep the error, and schedule the next attempt with
 * exponential back-off (base × 2^attempts, capped, ±20 % jitter) in the row, so every
 * instance's worker follows one schedule. Returns the new count and when it is next due.
 */
export async function recordRefundFailure(
  db: Queryable,
  orderId: string,
  error: string,
  backoff: { baseSeconds: number; capSeconds: number },
): Promise<{ attempts: number; nextAttemptAt: Date } | null> {
  const { rows } = await db.query(
    `UPDATE orders SET refund_attempts = refund_attempts + 1, refund_last_error = left($2, 500),
            refund_next_attempt_at = now() + make_interval(secs => LEAST($4::float8, $3::float8 * power(2, refund_attempts)) * (0.8 + random() * 0.4))
      WHERE id = $1 AND status = 'refund_pending'
      RETURNING refund_attempts, refund_next_attempt_at`,
    [orderId, error, backoff.baseSeconds, backoff.capSeconds],
  );
  return rows[0] ? { attempts: rows[0].refund_attempts, nextAttemptAt: rows[0].refund_next_attempt_at } : null;
}

/**
 * Refunds due now, claimed for one attempt: their next attempt is pushed by `leaseSeconds`
 * (SKIP LOCKED), so two instances' workers do not try the same refund at once; if this worker
 * dies, the lease runs out and another takes it.
 */
export async function claimDueRefunds(db: Queryable, leaseSeconds: number, limit: number): Promise<{ id: string; paymentId: string; attempts: number }[]> {
  const { rows } = await db.query(
    `UPDATE orders SET refund_next_attempt_at = now() + make_interval(secs => $1)
      WHERE id IN (SELECT id FROM orders WHERE status = 'refund_pending' AND refund_next_attempt_at <= now()
                    ORDER BY refund_next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND status = 'refund_pending' AND refund_next_attempt_at <= now()
      RETURNING id, payment_id, refund_attempts`,
    [leaseSeconds, limit],
  );
  return rows.map((r) => ({ id: r.id, paymentId: r.payment_id, attempts: r.refund_attempts }));
}

/** How many refunds are owed (the gauge behind the alert). */
export async function countRefundPending(db: Queryable): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'refund_pending'`);
  return rows[0].n;
}
