import { Router } from 'express';
import { IdParams, QueueSettingsInput } from '@ticketing/shared';
import { parsed, validate } from '../../platform/http.js';
import { requireRole } from '../../platform/security.js';
import type { EventStatsService } from './queue-stats.service.js';
import type { QueueService } from './queue.service.js';

type P = { id: string };

/** The operator's waiting-room settings, mounted at /admin/events: PUT /:id/queue. */
export function queueSettingsRoutes(queue: QueueService): Router {
  const r = Router();
  r.put('/:id/queue', requireRole('admin'), validate({ params: IdParams, body: QueueSettingsInput }), async (_req, res) => {
    const { params, body } = parsed<P, unknown, QueueSettingsInput>(res);
    res.json(await queue.updateSettings(params.id, body));
  });
  return r;
}

/** Operator view of an event's sale and waiting room, mounted at /admin/events: GET /:id/stats. */
export function eventStatsRoutes(stats: EventStatsService): Router {
  const r = Router();
  r.get('/:id/stats', requireRole('admin'), validate({ params: IdParams }), async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await stats.eventStats(parsed<P>(res).params.id));
  });
  return r;
}
