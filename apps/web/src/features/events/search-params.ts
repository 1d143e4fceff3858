import { z } from 'zod';
import { EventCategory, EventSort, type EventListQuery } from '@ticketing/shared';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The home page's search state, kept in the URL so a search can be shared and the back
 * button works. Every field is optional and a bad value is dropped rather than failing the page.
 */
export const EventSearchParams = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  category: EventCategory.optional().catch(undefined),
  city: z.string().trim().max(80).optional().catch(undefined),
  /** yyyy-mm-dd, inclusive. */
  from: z.string().regex(DATE).optional().catch(undefined),
  to: z.string().regex(DATE).optional().catch(undefined),
  /** Whole currency units (e.g. 80 = €80). */
  maxPrice: z.coerce.number().int().min(0).max(100_000).optional().catch(undefined),
  sort: EventSort.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type EventSearchParams = z.infer<typeof EventSearchParams>;

/** Events per page. */
export const PAGE_SIZE = 12;

/** Turn URL search state into the API query (dates become UTC day bounds). */
export function toListQuery(s: EventSearchParams): Partial<EventListQuery> {
  return {
    q: s.q || undefined,
    category: s.category,
    city: s.city || undefined,
    from: s.from ? `${s.from}T00:00:00.000Z` : undefined,
    to: s.to ? `${s.to}T23:59:59.999Z` : undefined,
    maxPriceCents: s.maxPrice !== undefined ? s.maxPrice * 100 : undefined,
    sort: s.sort,
    page: s.page ?? 1,
    limit: PAGE_SIZE,
  };
}
