export { fetchOrders, fetchOrder, cancelOrder, ticketQrUrl } from './api/orders-api';
export { OrderStatusBadge } from './components/order-status-badge';
export { TicketCard } from './components/ticket-card';
export { CancelOrderButton } from './components/cancel-order-dialog';
export { orderOutcomeMessage } from './lib/order-outcome';
