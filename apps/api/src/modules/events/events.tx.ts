import type { Queryable } from '../../platform/db.js';

/**
 * Mark the event cancelled inside the caller's transaction (keeps the first cancellation time).
 * Null when there is no such event. The row is locked FOR NO KEY UPDATE first, not FOR UPDATE: it
 * must not block FOR KEY SHARE (the foreign-key checks of a checkout inserting an order while
 * holding its hold row), or the two could deadlock; a sale's FOR SHARE on the event waits for it.
 */
export async function markEventCancelled(tx: Queryable, eventId: string): Promise<{ alreadyCancelled: boolean; cancelledAt: Date } | null> {
  const before = await tx.query(`SELECT cancelled_at IS NOT NULL AS cancelled FROM events WHERE id = $1 FOR NO KEY UPDATE`, [eventId]);
  if (!before.rows[0]) return null;
  const { rows } = await tx.query(`UPDATE events SET cancelled_at = COALESCE(cancelled_at, now()), updated_at = now() WHERE id = $1 RETURNING cancelled_at`, [eventId]);
  return { alreadyCancelled: before.rows[0].cancelled, cancelledAt: rows[0].cancelled_at };
}
