import type { Queryable } from '../../platform/db.js';
import { eventOnSaleSql } from './event-status.sql.js';

/** What the sale paths (holds, checkout, queue) need to know about an event. */
export interface EventSaleInfo {
  id: string;
  name: string;
  highDemand: boolean;
  currency: string;
  maxTicketsPerUser: number;
  admissionRatePerMinute: number;
  maxConcurrentShoppers: number;
  onSaleAt: Date;
  startsAt: Date;
  cancelled: boolean;
  /** True when fans may hold and buy now: on sale, not started, not cancelled. */
  onSale: boolean;
}

export async function findEventSaleInfo(db: Queryable, eventId: string): Promise<EventSaleInfo | null> {
  const { rows } = await db.query(
    `SELECT id, name, high_demand, currency, max_tickets_per_user, admission_rate_per_minute, max_concurrent_shoppers,
            on_sale_at, starts_at, cancelled_at IS NOT NULL AS cancelled,
            ${eventOnSaleSql('e')} AS on_sale
       FROM events e WHERE id = $1`,
    [eventId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    highDemand: r.high_demand,
    currency: r.currency,
    maxTicketsPerUser: r.max_tickets_per_user,
    admissionRatePerMinute: r.admission_rate_per_minute,
    maxConcurrentShoppers: r.max_concurrent_shoppers,
    onSaleAt: r.on_sale_at,
    startsAt: r.starts_at,
    cancelled: r.cancelled,
    onSale: r.on_sale,
  };
}
