import { Router } from 'express';
import { CheckinInput, TicketIdParams } from '@ticketing/shared';
import type { z } from 'zod';
import { parsed, validate } from '../../platform/http.js';
import { requireAuth, requireRole } from '../../platform/security.js';
import type { TicketsService } from './tickets.service.js';

/** /tickets/:ticketId/qr.svg (full path, mounted at /api/v1). */
export function ticketsRoutes(tickets: TicketsService): Router {
  const r = Router();
  r.get('/tickets/:ticketId/qr.svg', requireAuth, validate({ params: TicketIdParams }), async (req, res) => {
    const isAdmin = req.session.role === 'admin';
    const svg = await tickets.qrSvg(parsed<z.infer<typeof TicketIdParams>>(res).params.ticketId, isAdmin ? null : req.session.userId!);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.type('image/svg+xml').send(svg);
  });
  return r;
}

/** /admin/checkins: scan a ticket at the door (full path, mounted at /api/v1). */
export function checkinRoutes(tickets: TicketsService): Router {
  const r = Router();
  r.post('/admin/checkins', requireRole('admin'), validate({ body: CheckinInput }), async (_req, res) => {
    res.json(await tickets.checkIn(parsed<unknown, unknown, CheckinInput>(res).body.code));
  });
  return r;
}
