import { z } from 'zod';
import { IsoDateTime, Problem, Uuid } from './common.js';
import { text } from './text.js';

/** Live sales and waiting-room figures for an event. */
export const EventStats = z
  .object({
    sold: z.number().int(),
    held: z.number().int(),
    available: z.number().int(),
    revenueCents: z.number().int(),
    queueLength: z.number().int(),
    admitted: z.number().int(),
    admissionRatePerMinute: z.number().int(),
    maxConcurrentShoppers: z.number().int().optional(),
    averageWaitSeconds: z.number().optional(),
    ordersCompleted: z.number().int().optional(),
  })
  .meta({ id: 'EventStats' });
export type EventStats = z.infer<typeof EventStats>;

/** Body of POST /admin/checkins. */
export const CheckinInput = z.object({ code: text({ min: 1, max: 500 }) }).strict().meta({ id: 'CheckinInput' });
export type CheckinInput = z.infer<typeof CheckinInput>;

/** The seat a ticket admits to. */
const CheckinSeat = z.object({ section: z.string(), row: z.string(), number: z.string() });

export const CheckinResult = z
  .object({
    ticketId: Uuid,
    orderId: Uuid,
    eventId: Uuid,
    eventName: z.string(),
    seat: CheckinSeat,
    checkedInAt: IsoDateTime,
  })
  .meta({ id: 'CheckinResult' });
export type CheckinResult = z.infer<typeof CheckinResult>;

/** The 409 problem+json of POST /admin/checkins for a ticket that was already checked in: when, and which seat. */
export const TicketAlreadyUsedProblem = Problem.extend({
  code: z.literal('ticket_already_used'),
  checkedInAt: IsoDateTime,
  seat: CheckinSeat,
}).meta({ id: 'TicketAlreadyUsedProblem' });
export type TicketAlreadyUsedProblem = z.infer<typeof TicketAlreadyUsedProblem>;

/** Answer of POST /admin/events/:id/cancel (repeatable: a retry refunds nothing twice). */
export const EventCancelResult = z
  .object({
    eventId: Uuid,
    cancelledAt: IsoDateTime,
    /** True when the event was already cancelled before this request. */
    alreadyCancelled: z.boolean(),
    ordersRefunded: z.number().int(),
    /** Orders whose refund failed this time (provider down); a retry picks them up. */
    refundsFailed: z.number().int(),
    holdsReleased: z.number().int(),
    seatsReleased: z.number().int(),
  })
  .meta({ id: 'EventCancelResult' });
export type EventCancelResult = z.infer<typeof EventCancelResult>;
