import { CheckoutInput, IdempotencyKey, Order, OrderIdParams, OrderList, OrderListQuery, RefundPendingList, TicketIdParams } from '@ticketing/shared';
import { z } from 'zod';
import { jsonBody, jsonResponse, problems, sessionAuth, type OpenApiPaths } from '../openapi.helpers.js';

const IdempotencyHeader = z.object({ 'idempotency-key': IdempotencyKey.meta({ description: 'Same key, same order: never a second charge.' }) });

/** OpenAPI paths of checkout, orders and tickets (written from API.md; those modules may take them over). */
export const ordersPaths: OpenApiPaths = {
  '/checkout': {
    post: {
      tags: ['Checkout'],
      operationId: 'checkout',
      summary: 'Pay for a hold and receive the order with its tickets.',
      security: sessionAuth,
      requestParams: { header: IdempotencyHeader },
      requestBody: jsonBody(CheckoutInput),
      responses: {
        '201': jsonResponse(Order, 'The order (the same order again when the Idempotency-Key is repeated).'),
        // 409 checkout_in_progress (this key is being processed: retry after Retry-After) /
        // idempotency_in_progress (another key's checkout of this hold) / event_cancelled;
        // 422 idempotency_conflict (same key, different body).
        ...problems(400, 401, 402, 403, 404, 409, 410, 422, 503),
        '409': {
          ...problems(409)['409'],
          description:
            'checkout_in_progress: this Idempotency-Key is still being processed (answered at once; retry the same key after Retry-After seconds). ' +
            'idempotency_in_progress: another key is checking this hold out. event_cancelled: the event was cancelled.',
        },
      },
    },
  },
  '/orders': {
    get: {
      tags: ['Orders'],
      operationId: 'listOrders',
      summary: 'Your orders, newest first.',
      security: sessionAuth,
      requestParams: { query: OrderListQuery },
      responses: { '200': jsonResponse(OrderList, 'A page of orders.'), ...problems(400, 401) },
    },
  },
  '/orders/{orderId}': {
    get: {
      tags: ['Orders'],
      operationId: 'getOrder',
      summary: 'One of your orders with its tickets.',
      security: sessionAuth,
      requestParams: { path: OrderIdParams },
      responses: { '200': jsonResponse(Order, 'The order.'), ...problems(400, 401, 404) },
    },
  },
  '/orders/{orderId}/cancel': {
    post: {
      tags: ['Orders'],
      operationId: 'cancelOrder',
      summary: 'Cancel and refund an order; its seats become available again.',
      security: sessionAuth,
      requestParams: { path: OrderIdParams },
      responses: { '200': jsonResponse(Order, 'The refunded order.'), ...problems(400, 401, 403, 404, 409, 503) },
    },
  },
  '/tickets/{ticketId}/qr.svg': {
    get: {
      tags: ['Orders'],
      operationId: 'getTicketQr',
      summary: "The ticket's QR code (its signed code).",
      security: sessionAuth,
      requestParams: { path: TicketIdParams },
      responses: {
        '200': { description: 'An SVG image.', content: { 'image/svg+xml': { schema: { type: 'string' } } } },
        ...problems(400, 401, 404),
      },
    },
  },
  '/admin/orders/refunds-pending': {
    get: {
      tags: ['Admin'],
      operationId: 'listRefundsPending',
      summary: 'Orders whose refund is owed and not yet made (oldest first), with attempts, next attempt and last error.',
      security: sessionAuth,
      responses: { '200': jsonResponse(RefundPendingList, 'The owed refunds.'), ...problems(401, 403) },
    },
  },
};
