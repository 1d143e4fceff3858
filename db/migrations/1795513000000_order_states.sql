-- Up Migration
-- Order states as explicit statuses (ADR 0015, docs/architecture/checkout.md "Order states").
-- Before: 'reconciling' and 'refund_pending' were sub-states hidden in failure_code. Now every
-- state is a status allowed by a CHECK, failure_code is only the reason, and the allowed
-- transitions are enforced by one trigger.

-- Refund retries share one schedule across instances: attempts, next attempt, last error.
ALTER TABLE orders
  ADD COLUMN refund_attempts int NOT NULL DEFAULT 0 CHECK (refund_attempts >= 0),
  ADD COLUMN refund_next_attempt_at timestamptz,
  ADD COLUMN refund_last_error text;

ALTER TABLE orders DROP CONSTRAINT orders_status_check;
DROP INDEX orders_one_live_per_hold;

-- Move existing sub-states out of failure_code.
-- A pending order claimed by the reconciler.
UPDATE orders SET status = 'reconciling', failure_code = NULL WHERE status = 'pending' AND failure_code = 'reconciling';
-- A payment_unavailable order claimed by the reconciler: reconciling, unless another order of its
-- hold is live (it could not be one then); that one goes back to payment_unavailable and is claimed again.
UPDATE orders o SET status = 'reconciling', failure_code = NULL
 WHERE o.status = 'failed' AND o.failure_code = 'reconciling'
   AND (o.hold_id IS NULL OR NOT EXISTS (
     SELECT 1 FROM orders x WHERE x.hold_id = o.hold_id AND x.id <> o.id AND (x.status IN ('pending', 'completed') OR (x.status = 'failed' AND x.failure_code = 'reconciling'))));
UPDATE orders SET failure_code = 'payment_unavailable' WHERE status = 'failed' AND failure_code = 'reconciling';
-- A charge whose refund did not go through yet: refund_pending, due now.
UPDATE orders SET status = 'refund_pending', failure_code = 'hold_expired', refund_next_attempt_at = now()
 WHERE status = 'failed' AND failure_code = 'refund_pending' AND payment_id IS NOT NULL;
UPDATE orders SET failure_code = 'sale_failed' WHERE status = 'failed' AND failure_code = 'refund_pending';
-- A charge refunded because the sale was impossible: refunded, with why.
UPDATE orders o SET status = 'refunded'
  FROM payments p
 WHERE p.order_id = o.id AND o.status = 'failed' AND p.status = 'refunded' AND o.payment_id IS NOT NULL;

ALTER TABLE orders ADD CONSTRAINT orders_status_check
  CHECK (status IN ('pending', 'reconciling', 'completed', 'failed', 'refund_pending', 'refunded', 'cancelled'));
-- failure_code is the reason only: why an order failed or was refunded without being completed.
ALTER TABLE orders ADD CONSTRAINT orders_reason_check
  CHECK (failure_code IS NULL OR failure_code IN ('payment_declined', 'card_invalid', 'payment_unavailable', 'hold_expired', 'event_cancelled', 'sale_failed'));
ALTER TABLE orders ADD CONSTRAINT orders_failed_has_reason CHECK (status <> 'failed' OR failure_code IS NOT NULL);
ALTER TABLE orders ADD CONSTRAINT orders_live_has_no_reason CHECK (status NOT IN ('pending', 'reconciling', 'completed') OR failure_code IS NULL);
-- A refund owed names the payment and when it is next tried.
ALTER TABLE orders ADD CONSTRAINT orders_refund_pending_scheduled
  CHECK (status <> 'refund_pending' OR (payment_id IS NOT NULL AND refund_next_attempt_at IS NOT NULL));

-- One live checkout per hold (unchanged guarantee): at most one order that may still sell the
-- hold or has sold it. A refunded or refund_pending order never sold it (or gave it back).
CREATE UNIQUE INDEX orders_one_live_per_hold ON orders (hold_id) WHERE hold_id IS NOT NULL AND status IN ('pending', 'reconciling', 'completed');
-- The recovery worker's scans.
CREATE INDEX orders_reconciling_idx ON orders (updated_at) WHERE status = 'reconciling';
CREATE INDEX orders_refund_due_idx ON orders (refund_next_attempt_at) WHERE status = 'refund_pending';

-- The transition table, in one place. An UPDATE that changes status along any other edge fails.
-- Keep in step with ORDER_TRANSITIONS (apps/api/src/modules/orders/order-states.ts); a test walks both.
CREATE FUNCTION orders_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = OLD.status OR (OLD.status, NEW.status) IN (
    ('pending', 'completed'), ('pending', 'failed'), ('pending', 'refund_pending'), ('pending', 'reconciling'),
    ('reconciling', 'completed'), ('reconciling', 'failed'), ('reconciling', 'refund_pending'),
    ('failed', 'pending'), ('failed', 'reconciling'),
    ('refund_pending', 'refunded'),
    ('completed', 'refunded')
  ) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'order %: no transition from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'P0001', HINT = 'order_transition';
END
$$;
CREATE TRIGGER orders_status_transition BEFORE UPDATE OF status ON orders FOR EACH ROW EXECUTE FUNCTION orders_status_transition();
