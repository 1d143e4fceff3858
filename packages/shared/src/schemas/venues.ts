import { z } from 'zod';
import { Cents, IanaTimeZone, PageQuery, Uuid, pageOf } from './common.js';
import { text } from './text.js';

const SeatNumber = text({ min: 1, max: 10 });

/** One seat of a venue layout: its number in the row and its position on the map. */
export const VenueSeatInput = z.object({
  number: z.union([SeatNumber, z.number().int().min(0).max(99_999).transform(String)]),
  x: z.number().finite().min(0).max(100_000),
  y: z.number().finite().min(0).max(100_000),
  accessible: z.boolean().optional(),
});

export const VenueRowInput = z.object({
  label: text({ min: 1, max: 10 }),
  seats: z.array(VenueSeatInput).min(1).max(500),
});

export const VenueSectionInput = z.object({
  name: text({ min: 1, max: 60 }),
  priceTier: z.number().int().min(1).max(20),
  priceCents: Cents.max(10_000_000),
  rows: z.array(VenueRowInput).min(1).max(500),
});

/** Body of POST/PUT /admin/venues. */
export const VenueInput = z
  .object({
    name: text({ min: 1, max: 120 }),
    city: text({ min: 1, max: 80 }),
    address: text({ max: 200 }).optional(),
    country: text({ max: 80 }).optional(),
    /** IANA zone; omitted: 'UTC' on create, unchanged on update. */
    timezone: IanaTimeZone.optional(),
    sections: z.array(VenueSectionInput).min(1).max(100),
  })
  .strict()
  .superRefine((v, ctx) => {
    let total = 0;
    const names = new Set<string>();
    v.sections.forEach((s, si) => {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['sections', si, 'name'], message: 'section names must be unique' });
      names.add(s.name);
      const rows = new Set<string>();
      s.rows.forEach((r, ri) => {
        if (rows.has(r.label)) ctx.addIssue({ code: 'custom', path: ['sections', si, 'rows', ri, 'label'], message: 'row labels must be unique in a section' });
        rows.add(r.label);
        const nums = new Set<string>();
        r.seats.forEach((seat, xi) => {
          const n = String(seat.number);
          if (nums.has(n)) ctx.addIssue({ code: 'custom', path: ['sections', si, 'rows', ri, 'seats', xi, 'number'], message: 'seat numbers must be unique in a row' });
          nums.add(n);
        });
        total += r.seats.length;
      });
    });
    if (total > 100_000) ctx.addIssue({ code: 'custom', path: ['sections'], message: 'a venue holds at most 100,000 seats' });
  })
  .meta({ id: 'VenueInput' });
export type VenueInput = z.infer<typeof VenueInput>;

/** A venue as listed. */
export const VenueSummary = z
  .object({
    id: Uuid,
    name: z.string(),
    city: z.string(),
    address: z.string().nullable(),
    country: z.string().nullable(),
    timezone: z.string(),
    totalSeats: z.number().int(),
  })
  .meta({ id: 'VenueSummary' });
export type VenueSummary = z.infer<typeof VenueSummary>;

/** A venue with its full section layout. */
export const Venue = VenueSummary.extend({
  sections: z.array(
    z.object({
      id: Uuid,
      name: z.string(),
      priceTier: z.number().int(),
      priceCents: z.number().int(),
      rows: z.array(
        z.object({
          label: z.string(),
          seats: z.array(z.object({ number: z.string(), x: z.number(), y: z.number(), accessible: z.boolean().optional() })),
        }),
      ),
    }),
  ),
}).meta({ id: 'Venue' });
export type Venue = z.infer<typeof Venue>;

/** `:venueId` path parameter of GET /venues/:venueId. */
export const VenueIdParams = z.object({ venueId: Uuid });

export const VenueListQuery = PageQuery.extend({ city: text({ max: 80 }).optional() });
export const VenueList = pageOf(VenueSummary).meta({ id: 'VenueList' });
export type VenueList = z.infer<typeof VenueList>;
