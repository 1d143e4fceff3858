import { Router } from 'express';
import { CheckinInput, TicketIdParams } from '@ticketing/shared';
import type { z } from 'zod';
import type { Services } from '../../app.js';
import { parsed, validate } from '../../platform/http.js';
import { requireAuth, requireRole } from '../../platform/security.js';

/** /tickets/:ticketId/qr.svg */
export function ticketsRoutes(services: Services): Router {
  const r = Router();
  r.get('/:ticketId/qr.svg', requireAuth, validate({ params: TicketIdParams }), async (req, res) => {
    const isAdmin = req.session.role === 'admin';
    const svg = await services.tickets.qrSvg(parsed<z.infer<typeof TicketIdParams>>(res).params.ticketId, isAdmin ? null : req.session.userId!);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.type('image/svg+xml').send(svg);
  });
  return r;
}

/** /admin/checkins: scan a ticket at the door. */
export function checkinRoutes(services: Services): Router {
  const r = Router();
  r.post('/checkins', requireRole('admin'), validate({ body: CheckinInput }), async (_req, res) => {
    res.json(await services.tickets.checkIn(parsed<unknown, unknown, CheckinInput>(res).body.code));
  });
  return r;
}
