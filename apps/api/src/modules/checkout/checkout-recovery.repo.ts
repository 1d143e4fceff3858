import type { Queryable } from '../../platform/db.js';
import type { OrderReason } from '../orders/order-states.js';
import { ORDER_COLUMNS, toOrderRow, type OrderRow } from './checkout.repo.js';

/**
 * Reconciler claim: a pending order untouched for `staleSeconds` (its process died mid-checkout)
 * goes pending → reconciling. From then on only the claimer may complete it or owe its refund
 * (the sale of a checkout completes only a 'pending' order). SKIP LOCKED plus the re-checked
 * condition make the claim exclusive across instances.
 */
export async function claimStalePending(db: Queryable, staleSeconds: number, limit: number): Promise<OrderRow[]> {
  const { rows } = await db.query(
    `UPDATE orders SET status = 'reconciling', updated_at = now()
      WHERE id IN (SELECT id FROM orders WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND status = 'pending' AND updated_at < now() - make_interval(secs => $1)
      RETURNING ${ORDER_COLUMNS}`,
    [staleSeconds, limit],
  );
  return rows.map(toOrderRow);
}

/**
 * Reconciler claim of orders that failed as payment_unavailable long ago (the buyer did not
 * retry): a timed-out charge may still have gone through at the provider. failed → reconciling,
 * which also stops a same-key retry from reclaiming it meanwhile. Skips an order whose hold has
 * another live order (it could not be live itself: orders_one_live_per_hold).
 */
export async function claimOldUnavailable(db: Queryable, olderThanSeconds: number, limit: number): Promise<OrderRow[]> {
  const { rows } = await db.query(
    `UPDATE orders SET status = 'reconciling', failure_code = NULL, updated_at = now()
      WHERE id IN (SELECT o.id FROM orders o WHERE o.status = 'failed' AND o.failure_code = 'payment_unavailable'
                      AND o.updated_at < now() - make_interval(secs => $1)
                      AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.hold_id = o.hold_id AND x.id <> o.id AND x.status IN ('pending', 'reconciling', 'completed'))
                    ORDER BY o.updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND status = 'failed' AND failure_code = 'payment_unavailable'
      RETURNING ${ORDER_COLUMNS}`,
    [olderThanSeconds, limit],
  );
  return rows.map(toOrderRow);
}

/** Orders claimed by a reconciler that died before finishing (claim older than the stale window). */
export async function claimStaleReconciling(db: Queryable, staleSeconds: number, limit: number): Promise<OrderRow[]> {
  const { rows } = await db.query(
    `UPDATE orders SET updated_at = now()
      WHERE id IN (SELECT id FROM orders WHERE status = 'reconciling' AND updated_at < now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        AND status = 'reconciling' AND updated_at < now() - make_interval(secs => $1)
      RETURNING ${ORDER_COLUMNS}`,
    [staleSeconds, limit],
  );
  return rows.map(toOrderRow);
}

/** reconciling → failed: the claimed order was never charged. Conditional on the claim. */
export async function failReconciled(tx: Queryable, orderId: string, reason: OrderReason): Promise<boolean> {
  const { rowCount } = await tx.query(`UPDATE orders SET status = 'failed', failure_code = $2, updated_at = now() WHERE id = $1 AND status = 'reconciling'`, [
    orderId,
    reason,
  ]);
  return rowCount === 1;
}

