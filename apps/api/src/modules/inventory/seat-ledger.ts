/**
 * The seat ledger: the only writes to `holds` and `event_seats` that other modules may make, each
 * inside THEIR transaction (`tx`). Inventory owns both tables; checkout and orders call these
 * instead of writing them (docs/architecture/inventory.md, "Seat ledger"). Lock order everywhere:
 * event row (when taken), hold row, seat rows.
 *
 * After the caller's commit, the availability snapshot and the Redis seat locks are told through
 * the inventory service (`applySeatChanges`, `releaseLocks`), never from inside the transaction.
 */
export {
  /** Lock a hold row FOR UPDATE (checkout's first statement). */
  lockHold,
  /** Push a locked hold's expiry by the payment grace; returns its held seats' count and total. */
  extendHold,
  /** Give a hold its original expiry back after a failed payment (only while active). */
  restoreHold,
  /** Lock the event (FOR SHARE) and the hold (FOR UPDATE) before a sale. */
  lockHoldForSale,
  /** Sell an active hold's seats to an order and convert the hold. */
  sellHeldSeats,
  /** Put an order's sold seats back on sale (refund). */
  freeSoldSeats,
  /** End an event's active holds and free their seats (event cancellation). */
  releaseEventHolds,
  type LockedHold,
  type SoldSeat,
} from './seat-ledger.repo.js';
