import type { AppDeps } from '../../platform/deps.js';
import { PaymentsService } from '../payments/payments.service.js';
import { SimulatedPaymentProvider } from '../payments/simulated-provider.js';
import { OrdersService } from '../orders/orders.service.js';
import { TicketSigner } from '../tickets/ticket-code.js';
import { TicketsService } from '../tickets/tickets.service.js';
import { CheckoutService } from './checkout.service.js';
import { OwedRefunds } from './owed-refunds.js';
import { SideEffects } from './side-effects.js';

/** The secret that signs ticket codes: TICKET_SECRET, or SESSION_SECRET outside production. */
export function ticketSecret(env: AppDeps['env']): string {
  if (env.TICKET_SECRET) return env.TICKET_SECRET;
  if (env.NODE_ENV === 'production') throw new Error('TICKET_SECRET must be set in production');
  return env.SESSION_SECRET;
}

/**
 * Build the payment, checkout, orders and tickets services. `services` is read lazily (after
 * the app has built every module) for the after-commit calls into inventory, queue and events.
 */
export function createCommerceServices(deps: AppDeps, services: () => object) {
  const provider = new SimulatedPaymentProvider(deps.redis, {
    latencyMs: deps.env.SIMULATED_PAYMENT_LATENCY_MS,
    slowMs: deps.env.SIMULATED_PAYMENT_SLOW_MS,
  });
  const payments = new PaymentsService(deps, provider);
  const signer = new TicketSigner(ticketSecret(deps.env));
  const effects = new SideEffects(deps, services);
  const orders = new OrdersService(deps, payments, effects);
  const refunds = new OwedRefunds(deps, payments);
  const checkout = new CheckoutService(deps, payments, signer, orders, effects, refunds);
  const tickets = new TicketsService(deps, signer);
  return { payments, orders, checkout, tickets, paymentProvider: provider };
}
