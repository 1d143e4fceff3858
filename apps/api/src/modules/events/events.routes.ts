import { Router, type Response } from 'express';
import { EventIdParams, EventInput, EventListQuery, IdParams } from '@ticketing/shared';
import type { z } from 'zod';
import type { EventsService } from './events.service.js';
import { parsed, validate } from '../../platform/http.js';
import { requireRole } from '../../platform/security.js';

/**
 * Send already-serialized JSON. Express computes a strong ETag from the body and answers
 * 304 when If-None-Match matches, so a cache hit and a miss look identical to the client.
 */
function sendJson(res: Response, json: string): void {
  res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  res.type('application/json').send(json);
}

/** Public discovery: GET /events, GET /events/:eventId. */
export function eventRoutes(events: EventsService): Router {
  const r = Router();

  r.get('/', validate({ query: EventListQuery }), async (_req, res) => {
    sendJson(res, await events.listJson(parsed<unknown, EventListQuery>(res).query));
  });

  r.get('/:eventId', validate({ params: EventIdParams }), async (_req, res) => {
    sendJson(res, await events.getJson(parsed<z.infer<typeof EventIdParams>>(res).params.eventId));
  });

  return r;
}

/** Admin event writes: GET /admin/events (all, uncached), POST /admin/events, PUT /admin/events/:id. */
export function adminEventRoutes(events: EventsService): Router {
  const r = Router();
  r.use(requireRole('admin'));

  r.get('/', validate({ query: EventListQuery }), async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await events.list(parsed<unknown, EventListQuery>(res).query, { all: true }));
  });

  r.post('/', validate({ body: EventInput }), async (_req, res) => {
    const { event } = await events.create(parsed<unknown, unknown, EventInput>(res).body);
    res.status(201).location(`/api/v1/events/${event.id}`).json(event);
  });

  r.put('/:id', validate({ params: IdParams, body: EventInput }), async (_req, res) => {
    const { params, body } = parsed<z.infer<typeof IdParams>, unknown, EventInput>(res);
    res.json(await events.update(params.id, body));
  });

  return r;
}
