import { Router, type Request } from 'express';
import { EventIdParams } from '@ticketing/shared';
import type { Services } from '../../app.js';
import { parsed, validate } from '../../platform/http.js';
import type { Visitor } from './queue.service.js';

type P = { eventId: string };

function visitor(req: Request): Visitor {
  return { sessionId: req.sessionID, userId: req.session.userId ?? null };
}

/** The waiting room of one event, mounted at /events/:eventId/queue. */
export function queueRoutes(services: Services): Router {
  const r = Router({ mergeParams: true });
  const params = validate({ params: EventIdParams });

  r.post('/', params, async (req, res) => {
    const status = await services.queue.join(parsed<P>(res).params.eventId, visitor(req));
    // An anonymous session is only saved once it holds something: keep its id stable across polls.
    if (!req.session.visitor) req.session.visitor = true;
    res.setHeader('Cache-Control', 'no-store');
    res.json(status);
  });

  r.get('/', params, async (req, res) => {
    const status = await services.queue.status(parsed<P>(res).params.eventId, visitor(req));
    res.setHeader('Cache-Control', 'no-store');
    res.json(status);
  });

  r.delete('/', params, async (req, res) => {
    await services.queue.leave(parsed<P>(res).params.eventId, visitor(req));
    res.status(204).end();
  });

  return r;
}
