/**
 * SQL expression for an event's public status, derived from its times, cancellation and
 * remaining seats. `e` is the events alias; `available` is an expression for its free seats.
 */
export function eventStatusSql(e = 'e', available = 'NULL'): string {
  return `CASE
    WHEN ${e}.cancelled_at IS NOT NULL THEN 'cancelled'
    WHEN ${e}.starts_at <= now() THEN 'completed'
    WHEN ${e}.on_sale_at > now() THEN 'upcoming'
    WHEN ${available} = 0 THEN 'sold_out'
    ELSE 'on_sale' END`;
}
