import { Router } from 'express';
import { IdParams, OrderIdParams, OrderListQuery } from '@ticketing/shared';
import type { z } from 'zod';
import type { Services } from '../../app.js';
import { parsed, validate } from '../../platform/http.js';
import { NotFoundError } from '../../platform/errors.js';
import { requireAuth, requireRole } from '../../platform/security.js';

type OrderParams = z.infer<typeof OrderIdParams>;

/** /orders: the signed-in user's own orders. Mounted at /api/v1 with full paths (see checkout.routes.ts). */
export function ordersRoutes(services: Services): Router {
  const r = Router();

  r.get('/orders', requireAuth, validate({ query: OrderListQuery }), async (req, res) => {
    const { page, limit } = parsed<unknown, z.infer<typeof OrderListQuery>>(res).query;
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await services.orders.list(req.session.userId!, page, limit));
  });

  r.get('/orders/:orderId', requireAuth, validate({ params: OrderIdParams }), async (req, res) => {
    const order = await services.orders.getOrder(parsed<OrderParams>(res).params.orderId, req.session.userId!);
    if (!order) throw new NotFoundError('Order');
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(order);
  });

  r.post('/orders/:orderId/cancel', requireAuth, validate({ params: OrderIdParams }), async (req, res) => {
    res.json(await services.orders.cancel(req.session.userId!, parsed<OrderParams>(res).params.orderId));
  });

  return r;
}

/** /admin/events/:id/cancel: cancel an event and refund every order; /admin/orders/refunds-pending: refunds owed. */
export function adminEventCancelRoutes(services: Services): Router {
  const r = Router();
  r.get('/orders/refunds-pending', requireRole('admin'), async (_req, res) => {
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await services.orders.refundsPending());
  });
  r.post('/events/:id/cancel', requireRole('admin'), validate({ params: IdParams }), async (_req, res) => {
    res.json(await services.orders.cancelEvent(parsed<z.infer<typeof IdParams>>(res).params.id));
  });
  return r;
}
