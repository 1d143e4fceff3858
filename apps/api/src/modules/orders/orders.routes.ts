import { Router } from 'express';
import { IdParams, OrderIdParams, OrderListQuery } from '@ticketing/shared';
import type { z } from 'zod';
import { parsed, validate } from '../../platform/http.js';
import { NotFoundError } from '../../platform/errors.js';
import { requireAuth, requireRole } from '../../platform/security.js';
import type { OrdersService } from './orders.service.js';

type OrderParams = z.infer<typeof OrderIdParams>;

/** /orders: the signed-in user's own orders. Mounted at /api/v1 with full paths (see checkout.routes.ts). */
export function ordersRoutes(orders: OrdersService): Router {
  const r = Router();

  r.get('/orders', requireAuth, validate({ query: OrderListQuery }), async (req, res) => {
    const { page, limit } = parsed<unknown, z.infer<typeof OrderListQuery>>(res).query;
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await orders.list(req.session.userId!, page, limit));
  });

  r.get('/orders/:orderId', requireAuth, validate({ params: OrderIdParams }), async (req, res) => {
    const order = await orders.getOrder(parsed<OrderParams>(res).params.orderId, req.session.userId!);
    if (!order) throw new NotFoundError('Order');
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(order);
  });

  r.post('/orders/:orderId/cancel', requireAuth, validate({ params: OrderIdParams }), async (req, res) => {
    res.json(await orders.cancel(req.session.userId!, parsed<OrderParams>(res).params.orderId));
  });

  return r;
}

/** /admin/events/:id/cancel: cancel an event and refund every order; /admin/orders/refunds-pending: refunds owed. Full paths, mounted at /api/v1. */
export function adminEventCancelRoutes(orders: OrdersService): Router {
  const r = Router();
  r.get('/admin/orders/refunds-pending', requireRole('admin'), async (_req, res) => {
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await orders.refundsPending());
  });
  r.post('/admin/events/:id/cancel', requireRole('admin'), validate({ params: IdParams }), async (_req, res) => {
    res.json(await orders.cancelEvent(parsed<z.infer<typeof IdParams>>(res).params.id));
  });
  return r;
}
