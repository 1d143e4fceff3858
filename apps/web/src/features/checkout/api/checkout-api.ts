import { Order, type CheckoutInput } from '@ticketing/shared';
import { api } from '../../../lib/api-client';

/** POST /checkout with the attempt's Idempotency-Key. */
export function submitCheckout(body: CheckoutInput, idempotencyKey: string): Promise<Order> {
  return api('/checkout', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey }, schema: Order });
}
