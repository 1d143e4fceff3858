import type { Event, EventCategory, EventListQuery, EventStatus, EventSummary } from '@ticketing/shared';
import type { Queryable } from '../../platform/db.js';
import { eventStatusSql } from './event-status.sql.js';

/**
 * Turn free text into a prefix-aware tsquery string for the 'simple' configuration:
 * every word must match, the last one as a prefix ("sym" finds "Symphony").
 * Only letters and digits survive, so user input can never break the tsquery syntax.
 * Returns null when nothing searchable is left.
 */
export function toPrefixTsQuery(q: string): string | null {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 10);
  if (!words.length) return null;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
}

interface SummaryRow {
  id: string;
  name: string;
  category: EventCategory;
  venue_id: string;
  venue_name: string;
  venue_city: string;
  venue_timezone: string;
  starts_at: Date;
  on_sale_at: Date;
  status: EventStatus;
  high_demand: boolean;
  currency: string;
  min_cents: number;
  max_cents: number;
  available_seats: number;
  total_seats: number;
  full_count: number;
}

function toSummary(r: SummaryRow): EventSummary {
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    venue: { id: r.venue_id, name: r.venue_name, city: r.venue_city, timezone: r.venue_timezone },
    startsAt: r.starts_at.toISOString(),
    onSaleAt: r.on_sale_at.toISOString(),
    status: r.status,
    highDemand: r.high_demand,
    priceRange: { minCents: r.min_cents, maxCents: r.max_cents, currency: r.currency },
    availableSeats: r.available_seats,
    totalSeats: r.total_seats,
  };
}

/** Per-event price range and seat counts, joined laterally so each event costs one index scan. */
const AGGREGATES = `
  LEFT JOIN LATERAL (SELECT min(price_cents) AS min_cents, max(price_cents) AS max_cents FROM event_sections WHERE event_id = e.id) p ON true
  LEFT JOIN LATERAL (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE status = 'available') AS available,
           count(*) FILTER (WHERE status = 'held') AS held,
           count(*) FILTER (WHERE status = 'sold') AS sold
      FROM event_seats WHERE event_id = e.id) c ON true`;

const ORDER: Record<string, string> = {
  date: 'starts_at ASC, id',
  '-date': 'starts_at DESC, id',
  name: 'lower(name) ASC, starts_at, id',
  price: 'min_cents ASC, starts_at, id',
  '-price': 'max_cents DESC, starts_at, id',
  relevance: 'rank DESC, starts_at, id',
};

/**
 * Search and filter events. Without `status`, cancelled events are hidden; without `status`
 * and `from`, past events are too (a discovery page shows what one can still attend).
 * `all` (admin) lifts both defaults.
 */
export async function searchEvents(
  db: Queryable,
  q: EventListQuery,
  opts: { all?: boolean } = {},
): Promise<{ items: EventSummary[]; total: number }> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const inner: string[] = [];
  const outer: string[] = [];
  const tsq = q.q ? toPrefixTsQuery(q.q) : null;
  let rank = '0::real';
  if (q.q && !tsq) inner.push('false');
  if (tsq) {
    const ref = p(tsq);
    inner.push(`e.search @@ to_tsquery('simple', ${ref})`);
    rank = `ts_rank(e.search, to_tsquery('simple', ${ref}))`;
  }
  if (q.category) inner.push(`e.category = ${p(q.category)}`);
  if (q.city) inner.push(`lower(v.city) = lower(${p(q.city)})`);
  if (q.venueId) inner.push(`e.venue_id = ${p(q.venueId)}`);
  if (q.from) inner.push(`e.starts_at >= ${p(q.from)}`);
  if (q.to) inner.push(`e.starts_at <= ${p(q.to)}`);
  if (!opts.all && !q.status) {
    // Status not `cancelled` and (without `from`) not `completed`, as eventStatusSql decides them,
    // written as column predicates so the starts_at index can serve the list.
    inner.push('e.cancelled_at IS NULL');
    if (!q.from) inner.push('e.starts_at > now()');
  }
  if (q.status) outer.push(`status = ${p(q.status)}`);
  if (q.maxPriceCents !== undefined) outer.push(`min_cents <= ${p(q.maxPriceCents)}`);
  const sort = q.sort ?? (tsq ? 'relevance' : 'date');

  const filtered = `
    SELECT f.* FROM (
      SELECT e.id, e.name, e.category, e.starts_at, e.on_sale_at, e.high_demand, e.currency,
             v.id AS venue_id, v.name AS venue_name, v.city AS venue_city, v.timezone AS venue_timezone,
             coalesce(p.min_cents, 0) AS min_cents, coalesce(p.max_cents, 0) AS max_cents,
             coalesce(c.available, 0) AS available_seats, coalesce(c.total, 0) AS total_seats,
             ${rank} AS rank,
             ${eventStatusSql('e', 'coalesce(c.available, 0)')} AS status
        FROM events e JOIN venues v ON v.id = e.venue_id
        ${AGGREGATES}
       ${inner.length ? `WHERE ${inner.join(' AND ')}` : ''}
    ) f
    ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}`;
  const filterParams = [...params];
  const limit = p(q.limit);
  const offset = p((q.page - 1) * q.limit);
  const { rows } = await db.query<SummaryRow>(
    `SELECT g.*, count(*) OVER () AS full_count FROM (${filtered}) g ORDER BY ${ORDER[sort]} LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  let total = rows[0]?.full_count ?? 0;
  if (!rows.length && q.page > 1) {
    // A page past the end has no row to carry the window count; count without paging.
    const c = await db.query<{ n: number }>(`SELECT count(*) AS n FROM (${filtered}) g`, filterParams);
    total = c.rows[0]!.n;
  }
  return { items: rows.map(toSummary), total };
}

/** One event with venue, price range and availability counts; null when unknown. */
export async function findEventDetail(db: Queryable, id: string): Promise<Event | null> {
  const { rows } = await db.query(
    `SELECT e.id, e.name, e.category, e.performer, e.description, e.starts_at, e.on_sale_at, e.high_demand, e.currency,
            e.max_tickets_per_user,
            v.id AS venue_id, v.name AS venue_name, v.city AS venue_city, v.address, v.country, v.timezone,
            coalesce(p.min_cents, 0) AS min_cents, coalesce(p.max_cents, 0) AS max_cents,
            coalesce(c.available, 0) AS available, coalesce(c.held, 0) AS held, coalesce(c.sold, 0) AS sold, coalesce(c.total, 0) AS total,
            ${eventStatusSql('e', 'coalesce(c.available, 0)')} AS status
       FROM events e JOIN venues v ON v.id = e.venue_id
       ${AGGREGATES}
      WHERE e.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    performer: r.performer,
    description: r.description,
    venue: { id: r.venue_id, name: r.venue_name, city: r.venue_city, address: r.address, country: r.country, timezone: r.timezone },
    startsAt: (r.starts_at as Date).toISOString(),
    onSaleAt: (r.on_sale_at as Date).toISOString(),
    status: r.status,
    highDemand: r.high_demand,
    currency: r.currency,
    priceRange: { minCents: r.min_cents, maxCents: r.max_cents, currency: r.currency },
    maxTicketsPerUser: r.max_tickets_per_user,
    availability: { available: r.available, held: r.held, sold: r.sold, total: r.total },
  };
}
