import { Router } from 'express';
import { IdParams, QueueSettingsInput } from '@ticketing/shared';
import type { Services } from '../../app.js';
import { parsed, validate } from '../../platform/http.js';
import { requireRole } from '../../platform/security.js';
import { eventStats } from './queue-stats.service.js';

type P = { id: string };

/** Operator view of an event's sale and waiting room, mounted at /admin/events. */
export function queueAdminRoutes(services: Services): Router {
  const r = Router();
  const admin = requireRole('admin');

  r.get('/:id/stats', admin, validate({ params: IdParams }), async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await eventStats(services, parsed<P>(res).params.id));
  });

  r.put('/:id/queue', admin, validate({ params: IdParams, body: QueueSettingsInput }), async (_req, res) => {
    const { params, body } = parsed<P, unknown, QueueSettingsInput>(res);
    res.json(await services.queue.updateSettings(params.id, body));
  });

  return r;
}
