import { Router } from 'express';
import { CheckoutInput, IdempotencyKey } from '@ticketing/shared';
import { parsed, validate } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import { requireAuth } from '../../platform/security.js';
import type { CheckoutService } from './checkout.service.js';

/** POST /checkout: pay for a hold, exactly once per Idempotency-Key. */
export function checkoutRoutes(checkout: CheckoutService): Router {
  const r = Router();
  // Full path (router mounted at /api/v1): the metrics route label of a '/' route under a mount drops the mount.
  r.post(
    '/checkout',
    requireAuth,
    (req, _res, next) => {
      // Checked before the body so a keyless request changes nothing and says exactly why.
      const key = req.get('idempotency-key');
      if (key === undefined) return next(new AppError(400, 'idempotency_key_required', 'Send an Idempotency-Key header (e.g. a UUID).'));
      const ok = IdempotencyKey.safeParse(key);
      if (!ok.success) {
        return next(new AppError(400, 'validation_failed', 'The Idempotency-Key header is not valid.', {
          errors: [{ path: 'headers.idempotency-key', message: ok.error.issues[0]?.message ?? 'invalid' }],
        }));
      }
      next();
    },
    validate({ body: CheckoutInput }),
    async (req, res) => {
      const order = await checkout.checkout(
        { userId: req.session.userId!, sessionId: req.sessionID },
        req.get('idempotency-key')!,
        parsed<unknown, unknown, CheckoutInput>(res).body,
      );
      res.setHeader('Cache-Control', 'no-store');
      res.status(201).location(`/api/v1/orders/${order.id}`).json(order);
    },
  );
  return r;
}
