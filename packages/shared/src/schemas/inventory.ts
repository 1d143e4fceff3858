import { z } from 'zod';
import { Cents, Currency, IsoDateTime, Uuid } from './common.js';

/** The static layout of an event's seats; `index` addresses the availability string. */
export const SeatMap = z
  .object({
    eventId: Uuid,
    width: z.number(),
    height: z.number(),
    sections: z.array(
      z.object({
        id: Uuid,
        name: z.string(),
        priceTier: z.number().int(),
        priceCents: z.number().int(),
        rows: z.array(
          z.object({
            label: z.string(),
            seats: z.array(
              z.object({ id: Uuid, index: z.number().int(), number: z.string(), x: z.number(), y: z.number(), accessible: z.boolean().optional() }),
            ),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'SeatMap' });
export type SeatMap = z.infer<typeof SeatMap>;

/** One character per seat: a available, h held, s sold. */
export const SeatStatusChar = z.enum(['a', 'h', 's']);
export type SeatStatusChar = z.infer<typeof SeatStatusChar>;

export const Availability = z
  .object({
    eventId: Uuid,
    version: z.number().int(),
    statuses: z.string(),
    counts: z.object({ available: z.number().int(), held: z.number().int(), sold: z.number().int() }),
  })
  .meta({ id: 'Availability' });
export type Availability = z.infer<typeof Availability>;

/** Payload of an SSE `availability` message. */
export const AvailabilityChanges = z.object({
  version: z.number().int(),
  changes: z.array(z.tuple([z.number().int(), SeatStatusChar])),
});
export type AvailabilityChanges = z.infer<typeof AvailabilityChanges>;

/** Most seats one hold may take. */
export const MAX_SEATS_PER_HOLD = 6;

export const HoldSeatsInput = z
  .object({
    seatIds: z
      .array(Uuid)
      .min(1, 'pick at least one seat')
      .max(MAX_SEATS_PER_HOLD, `at most ${MAX_SEATS_PER_HOLD} seats per hold`)
      .refine((ids) => new Set(ids).size === ids.length, 'seat ids must not repeat'),
  })
  .strict();

export const HoldBestInput = z
  .object({
    quantity: z.number().int().min(1).max(MAX_SEATS_PER_HOLD),
    sectionId: Uuid.optional(),
    maxPriceCents: Cents.optional(),
  })
  .strict();

/** Body of POST /events/:eventId/holds: explicit seats or best available. */
export const HoldInput = z.union([HoldSeatsInput, HoldBestInput]).meta({ id: 'HoldInput' });
export type HoldInput = z.infer<typeof HoldInput>;

export const HoldSeat = z.object({ id: Uuid, section: z.string(), row: z.string(), number: z.string(), priceCents: z.number().int() });

export const Hold = z
  .object({
    id: Uuid,
    eventId: Uuid,
    seats: z.array(HoldSeat),
    totalCents: z.number().int(),
    currency: Currency,
    expiresAt: IsoDateTime,
  })
  .meta({ id: 'Hold' });
export type Hold = z.infer<typeof Hold>;

export const HoldIdParams = z.object({ holdId: Uuid });
export const CurrentHoldQuery = z.object({ eventId: Uuid.optional() });
