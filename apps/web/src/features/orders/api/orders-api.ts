import { Order, OrderList } from '@ticketing/shared';
import { api } from '../../../lib/api-client';

/** GET /orders (own orders, newest first). */
export function fetchOrders(page: number, signal?: AbortSignal): Promise<OrderList> {
  return api('/orders', { query: { page, limit: 20 }, schema: OrderList, signal });
}

/** GET /orders/:id with its tickets. */
export function fetchOrder(orderId: string, signal?: AbortSignal): Promise<Order> {
  return api(`/orders/${encodeURIComponent(orderId)}`, { schema: Order, signal });
}

/** POST /orders/:id/cancel — refunds and releases the seats. */
export function cancelOrder(orderId: string): Promise<Order> {
  return api(`/orders/${encodeURIComponent(orderId)}/cancel`, { method: 'POST', schema: Order });
}

/** URL of a ticket's QR code image. */
export function ticketQrUrl(ticketId: string): string {
  return `/api/v1/tickets/${encodeURIComponent(ticketId)}/qr.svg`;
}
