-- Up Migration
-- Checkout bookkeeping.
-- * hold_expires_at: the hold's expiry before checkout pushed it forward by the payment
--   grace, so a declined or failed payment can put the original expiry back (no free extension).
-- * One live checkout per hold: at most one order that is not 'failed' may point at a hold,
--   so two checkouts of one hold with different idempotency keys (two tabs) can never both
--   reach the payment provider.
ALTER TABLE orders ADD COLUMN hold_expires_at timestamptz;
CREATE UNIQUE INDEX orders_one_live_per_hold ON orders (hold_id) WHERE hold_id IS NOT NULL AND status <> 'failed';
-- Stale 'pending' orders (a crash between charge and sale) are found by age.
CREATE INDEX orders_pending_idx ON orders (updated_at) WHERE status = 'pending';

-- Down Migration
DROP INDEX IF EXISTS orders_pending_idx;
DROP INDEX IF EXISTS orders_one_live_per_hold;
ALTER TABLE orders DROP COLUMN IF EXISTS hold_expires_at;
