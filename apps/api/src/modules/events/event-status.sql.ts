/**
 * The one SQL expression for an event's public status, derived from its times, cancellation and
 * remaining seats. `e` is the events alias; `available` is an expression for its free seats
 * (left NULL, an event is never `sold_out`, so `= 'on_sale'` is the rule "fans may hold and buy
 * now"). Its TypeScript twin over the same facts is `eventStatus` in event-status.ts.
 */
export function eventStatusSql(e = 'e', available = 'NULL'): string {
  return `CASE
    WHEN ${e}.cancelled_at IS NOT NULL THEN 'cancelled'
    WHEN ${e}.starts_at <= now() THEN 'completed'
    WHEN ${e}.on_sale_at > now() THEN 'upcoming'
    WHEN ${available} = 0 THEN 'sold_out'
    ELSE 'on_sale' END`;
}

/** True when fans may hold and buy now (on sale, not started, not cancelled): `eventStatusSql` is `on_sale`. */
export function eventOnSaleSql(e = 'e'): string {
  return `(${eventStatusSql(e)} = 'on_sale')`;
}
