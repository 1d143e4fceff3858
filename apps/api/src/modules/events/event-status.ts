import type { EventStatus } from '@ticketing/shared';

/** The sale facts the status is derived from (times in ms since the epoch). */
export interface SaleTimes {
  onSaleAtMs: number;
  startsAtMs: number;
  cancelled: boolean;
}

/**
 * An event's public status from its facts, the same rule as `eventStatusSql`
 * (event-status.sql.ts): cancelled, completed (started), upcoming (not on sale yet), sold out
 * (`available` 0), else on sale. Code that has the facts in hand decides with this; SQL with that.
 */
export function eventStatus(f: SaleTimes, nowMs = Date.now(), available?: number): EventStatus {
  if (f.cancelled) return 'cancelled';
  if (f.startsAtMs <= nowMs) return 'completed';
  if (f.onSaleAtMs > nowMs) return 'upcoming';
  if (available === 0) return 'sold_out';
  return 'on_sale';
}

/** True when fans may hold and buy now: `eventStatus` is `on_sale` (seats left or not). */
export function isOnSale(f: SaleTimes, nowMs = Date.now()): boolean {
  return eventStatus(f, nowMs) === 'on_sale';
}
