import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { TicketSigner } from './ticket-code.js';
import { checkinRoutes, ticketsRoutes } from './tickets.routes.js';
import { TicketsService } from './tickets.service.js';

/** The secret that signs ticket codes: TICKET_SECRET, or SESSION_SECRET outside production. */
export function ticketSecret(env: AppDeps['env']): string {
  if (env.TICKET_SECRET) return env.TICKET_SECRET;
  if (env.NODE_ENV === 'production') throw new Error('TICKET_SECRET must be set in production');
  return env.SESSION_SECRET;
}

/** The tickets module: signed ticket codes (checkout signs them through `service.signer`), QR codes, check-in. */
export function createTicketsModule(deps: AppDeps): AppModule<TicketsService> {
  const service = new TicketsService(deps, new TicketSigner(ticketSecret(deps.env)));
  return { service, routes: [ticketsRoutes(service), checkinRoutes(service)] };
}
