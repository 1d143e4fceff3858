import { z } from 'zod';
import { Currency, IsoDateTime, PageQuery, Uuid, pageOf } from './common.js';
import { text } from './text.js';

/**
 * The Luhn (mod 10) check every payment card number passes; it catches a mistyped digit and
 * most swapped neighbours. `digits` holds only 0-9.
 */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** A card number as typed (spaces and dashes allowed), normalised to its digits; 12..19 digits that pass the Luhn check. */
export const CardNumber = text({ max: 40 })
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits').refine(passesLuhn, 'is not a valid card number (check the digits)'));

/** Card details for the (simulated) payment provider. Never logged, never stored. */
export const PaymentInput = z
  .object({
    cardNumber: CardNumber,
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(2000).max(2100),
    cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
    name: text({ min: 1, max: 100 }),
  })
  .strict();
export type PaymentInput = z.infer<typeof PaymentInput>;

/** Body of POST /checkout (with header Idempotency-Key). */
export const CheckoutInput = z.object({ holdId: Uuid, payment: PaymentInput }).strict().meta({ id: 'CheckoutInput' });
export type CheckoutInput = z.infer<typeof CheckoutInput>;

/** Idempotency-Key header: 8..200 visible ASCII characters (a UUID is typical). */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{8,200}$/, 'must be 8 to 200 visible ASCII characters');

export const OrderStatus = z.enum(['completed', 'cancelled', 'refunded']);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const Ticket = z.object({
  id: Uuid,
  seat: z.object({ section: z.string(), row: z.string(), number: z.string() }),
  code: z.string(),
  checkedInAt: IsoDateTime.nullable().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const Order = z
  .object({
    id: Uuid,
    eventId: Uuid,
    /** `venueTimeZone` (IANA) lets clients show `startsAt` on the venue's clock. */
    event: z.object({ name: z.string(), startsAt: IsoDateTime, venueName: z.string(), venueTimeZone: z.string() }).optional(),
    status: OrderStatus,
    totalCents: z.number().int(),
    currency: Currency,
    createdAt: IsoDateTime,
    tickets: z.array(Ticket),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;

export const OrderList = pageOf(Order).meta({ id: 'OrderList' });
export type OrderList = z.infer<typeof OrderList>;
export const OrderListQuery = PageQuery;
export const OrderIdParams = z.object({ orderId: Uuid });
export const TicketIdParams = z.object({ ticketId: Uuid });
