import { Router, type Request } from 'express';
import { CurrentHoldQuery, EventIdParams, HoldIdParams, HoldInput } from '@ticketing/shared';
import type { z } from 'zod';
import { parsed, validate } from '../../platform/http.js';
import { requireAuth } from '../../platform/security.js';
import { NotFoundError } from '../../platform/errors.js';
import type { InventoryService } from './inventory.service.js';
import { layoutEtag } from './seatmap-cache.js';

type EventParams = z.infer<typeof EventIdParams>;

/** The version a client sends back in If-None-Match (`"av-<version>"`, weak or strong), if any. */
function knownVersion(req: Request): number | undefined {
  const m = /^(?:W\/)?"av-(\d+)"$/.exec(req.get('if-none-match')?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

const HEARTBEAT_MS = 15_000;
/**
 * Availability changes with every hold, but every fan reads the same bytes: browsers and the front
 * door's micro-cache may reuse an answer for one second and serve it a little longer while they
 * revalidate (docs/adr/0007-one-request-pipeline.md).
 */
export const AVAILABILITY_CACHE_CONTROL = 'public, max-age=1, stale-while-revalidate=5';
/** The layout only changes when an organizer edits it (layout_version bump → new ETag). */
export const SEATMAP_CACHE_CONTROL = 'public, max-age=300';

/**
 * The two public reads every fan polls (seat map, availability snapshot), mounted at /api/v1
 * before the body parsers and the session middleware (app.ts): they need neither. Strong ETags;
 * an If-None-Match naming the current version is answered 304 without building a body, and a
 * body is written as the prebuilt bytes (no re-serialising, no ETag hashing by Express).
 */
export function inventoryPublicRoutes(inv: InventoryService): Router {
  const r = Router();

  r.get('/events/:eventId/seatmap', validate({ params: EventIdParams }), async (req, res) => {
    const { eventId } = parsed<EventParams>(res).params;
    const version = await inv.seatmaps.version(eventId);
    if (version == null) throw new NotFoundError('Event');
    const etag = layoutEtag(eventId, version);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', SEATMAP_CACHE_CONTROL);
    if (req.get('if-none-match')?.split(/\s*,\s*/).includes(etag)) {
      res.status(304).end();
      return;
    }
    const layout = await inv.seatmaps.getAt(eventId, version);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', layout.body.length);
    res.end(layout.body);
  });

  r.get('/events/:eventId/availability', validate({ params: EventIdParams }), async (req, res) => {
    const { eventId } = parsed<EventParams>(res).params;
    const snap = await inv.availability(eventId, knownVersion(req));
    res.setHeader('Cache-Control', AVAILABILITY_CACHE_CONTROL);
    if (snap.kind === 'no_seats') {
      res.type('application/json').send(`{"eventId":"${eventId}","version":0,"statuses":"","counts":{"available":0,"held":0,"sold":0}}`);
      return;
    }
    res.setHeader('ETag', `"av-${snap.version}"`);
    if (snap.kind === 'not_modified') {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', snap.body.length);
    res.end(snap.body);
  });

  return r;
}

/** Availability stream (SSE) and holds. Mounted at /api/v1 after the session middleware. */
export function inventoryRoutes(inv: InventoryService): Router {
  const r = Router();

  r.get('/events/:eventId/availability/stream', validate({ params: EventIdParams }), async (req, res) => {
    const { eventId } = parsed<EventParams>(res).params;
    if ((await inv.seatmaps.version(eventId)) == null) throw new NotFoundError('Event');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    const unlisten = inv.stream.listen(
      eventId,
      (json) => res.write(`event: availability\ndata: ${json}\n\n`),
      () => res.end(),
    );
    const heartbeat = setInterval(() => res.write(': hb\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const close = () => {
      clearInterval(heartbeat);
      unlisten();
    };
    req.on('close', close);
    res.on('error', close);
  });

  r.post('/events/:eventId/holds', requireAuth, validate({ params: EventIdParams, body: HoldInput }), async (req, res) => {
    const { params, body } = parsed<EventParams, unknown, HoldInput>(res);
    const hold = await inv.createHold(params.eventId, { userId: req.session.userId!, sessionId: req.sessionID }, body);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).location(`/api/v1/holds/${hold.id}`).json(hold);
  });

  r.get('/holds/current', requireAuth, validate({ query: CurrentHoldQuery }), async (req, res) => {
    const { query } = parsed<unknown, z.infer<typeof CurrentHoldQuery>>(res);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await inv.currentHold(req.session.userId!, query.eventId));
  });

  r.delete('/holds/:holdId', requireAuth, validate({ params: HoldIdParams }), async (req, res) => {
    const { params } = parsed<z.infer<typeof HoldIdParams>>(res);
    await inv.releaseHold(req.session.userId!, params.holdId);
    res.status(204).end();
  });

  return r;
}
