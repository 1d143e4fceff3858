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

/**
 * An order as the buyer sees it: `completed` (tickets valid), `refund_pending` (charged, the seats
 * could not be sold, the refund is on its way), `refunded`, `cancelled`. Checkouts still in flight
 * or that failed without a charge are not orders for the buyer.
 */
export const OrderStatus = z.enum(['completed', 'refund_pending', 'refunded', 'cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Why a charged order was not completed: its hold ended before the sale, the event was cancelled, or the sale failed. */
export const OrderStatusReason = z.enum(['hold_expired', 'event_cancelled', 'sale_failed']);
export type OrderStatusReason = z.infer<typeof OrderStatusReason>;

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
    /** Set when the order was charged but never completed (then `status` is refund_pending or refunded); null otherwise. */
    statusReason: OrderStatusReason.nullable().optional(),
    totalCents: z.number().int(),
    currency: Currency,
    createdAt: IsoDateTime,
    tickets: z.array(Ticket),
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;

export const OrderList = pageOf(Order).meta({ id: 'OrderList' });

/** Admin: an order whose refund is owed and not yet confirmed by the provider (GET /admin/orders/refunds-pending). */
export const RefundPendingOrder = z.object({
  orderId: Uuid,
  eventId: Uuid,
  userId: Uuid,
  totalCents: z.number().int(),
  currency: Currency,
  statusReason: OrderStatusReason.nullable(),
  /** Failed refund attempts so far. */
  attempts: z.number().int(),
  /** When the recovery worker tries again. */
  nextAttemptAt: IsoDateTime.nullable(),
  lastError: z.string().nullable(),
  /** When the refund became owed. */
  since: IsoDateTime,
});
export const RefundPendingList = z.object({ items: z.array(RefundPendingOrder), total: z.number().int() }).meta({ id: 'RefundPendingList' });
export type RefundPendingList = z.infer<typeof RefundPendingList>;
export type OrderList = z.infer<typeof OrderList>;
export const OrderListQuery = PageQuery;
export const OrderIdParams = z.object({ orderId: Uuid });
export const TicketIdParams = z.object({ ticketId: Uuid });
