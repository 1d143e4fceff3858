import type { Order } from '@ticketing/shared';
import type { PaymentsService } from '../payments/payments.service.js';

/** What checkout needs from other modules (built by the composition root; the compiler checks every call). */
export interface CheckoutPorts {
  /** The payment port: charge, look a charge up, refund, fail fast while the breaker is open. */
  payments: Pick<PaymentsService, 'charge' | 'findCharge' | 'refund' | 'assertAvailable'> & { provider: { name: string } };
  /** A replayed checkout answers the order as the buyer sees it. */
  orders: { getOrder(orderId: string, userId: string | null): Promise<Order | null> };
  /** After-commit calls into the inventory (sold seats in the snapshot, the hold's Redis locks). */
  inventory: {
    applySeatChanges(eventId: string, changes: [index: number, status: 'a' | 'h' | 's'][]): Promise<void>;
    releaseLocks(eventId: string, token: string, seatIds: string[]): Promise<void>;
  };
  /** The waiting room: the buyer's shopping slot ends with the sale. */
  queue: { finishShopping(eventId: string, who: { userId: string; sessionId: string }): Promise<void> };
  /** Ticket codes are signed by the tickets module. */
  tickets: { sign(ticketId: string, eventId: string): string };
}
