import { z } from 'zod';
import { Currency, IsoDateTime, MAX_INT4, PageQuery, Uuid, pageOf } from './common.js';
import { text } from './text.js';

export const EventCategory = z.enum(['concert', 'sports', 'theatre', 'comedy', 'family', 'festival', 'conference']);
export type EventCategory = z.infer<typeof EventCategory>;

export const EventStatus = z.enum(['upcoming', 'on_sale', 'sold_out', 'completed', 'cancelled']);
export type EventStatus = z.infer<typeof EventStatus>;

export const EventSort = z.enum(['date', '-date', 'name', 'price', '-price', 'relevance']);
export type EventSort = z.infer<typeof EventSort>;

/** Query of GET /events. `from`/`to` bound `startsAt`; `sort` defaults to relevance with `q`, else date. */
export const EventListQuery = PageQuery.extend({
  q: text({ max: 200 }).optional(),
  category: EventCategory.optional(),
  city: text({ max: 80 }).optional(),
  venueId: Uuid.optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  status: EventStatus.optional(),
  maxPriceCents: z.coerce.number().int().min(0).max(MAX_INT4).optional(),
  sort: EventSort.optional(),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type EventListQuery = z.infer<typeof EventListQuery>;

export const PriceRange = z.object({ minCents: z.number().int(), maxCents: z.number().int(), currency: Currency });

/** An event as a search result. */
export const EventSummary = z
  .object({
    id: Uuid,
    name: z.string(),
    category: EventCategory,
    /** `timezone` (IANA) lets clients show the start time in the venue's local time. */
    venue: z.object({ id: Uuid, name: z.string(), city: z.string(), timezone: z.string().optional() }),
    startsAt: IsoDateTime,
    onSaleAt: IsoDateTime,
    status: EventStatus,
    highDemand: z.boolean(),
    priceRange: PriceRange,
    availableSeats: z.number().int(),
    totalSeats: z.number().int(),
  })
  .meta({ id: 'EventSummary' });
export type EventSummary = z.infer<typeof EventSummary>;

export const EventList = pageOf(EventSummary).meta({ id: 'EventList' });
export type EventList = z.infer<typeof EventList>;

/** One event with its venue, price range and live availability counts. */
export const Event = z
  .object({
    id: Uuid,
    name: z.string(),
    category: EventCategory,
    performer: z.string().nullable(),
    description: z.string().nullable(),
    venue: z.object({ id: Uuid, name: z.string(), city: z.string(), address: z.string().nullable(), country: z.string().nullable(), timezone: z.string() }),
    startsAt: IsoDateTime,
    onSaleAt: IsoDateTime,
    status: EventStatus,
    highDemand: z.boolean(),
    currency: Currency,
    priceRange: PriceRange,
    maxTicketsPerUser: z.number().int(),
    availability: z.object({ available: z.number().int(), held: z.number().int(), sold: z.number().int(), total: z.number().int() }),
  })
  .meta({ id: 'Event' });
export type Event = z.infer<typeof Event>;

/** Body of POST/PUT /admin/events. */
export const EventInput = z
  .object({
    name: text({ min: 1, max: 200 }),
    category: EventCategory,
    venueId: Uuid,
    startsAt: IsoDateTime,
    onSaleAt: IsoDateTime,
    highDemand: z.boolean().optional(),
    performer: text({ max: 200 }).optional(),
    description: text({ max: 5000, multiline: true }).optional(),
    currency: Currency.optional(),
    maxTicketsPerUser: z.number().int().min(1).max(50).optional(),
    admissionRatePerMinute: z.number().int().min(1).max(100_000).optional(),
    maxConcurrentShoppers: z.number().int().min(1).max(100_000).optional(),
  })
  .strict()
  .refine((e) => new Date(e.onSaleAt) <= new Date(e.startsAt), { path: ['onSaleAt'], message: 'must not be after startsAt' })
  .meta({ id: 'EventInput' });
export type EventInput = z.infer<typeof EventInput>;
