import { Router, type Request, type Response } from 'express';
import { EventIdParams, type QueueStatus } from '@ticketing/shared';
import { parsed, validate } from '../../platform/http.js';
import type { QueueService, Visitor } from './queue.service.js';
import { QUEUE_COOKIE } from './queue-cookie.js';

type P = { eventId: string };

function visitor(req: Request): Visitor {
  return { sessionId: req.sessionID, userId: req.session.userId ?? null };
}

/**
 * The waiting-room status poll for a caller who carries a valid poll cookie (`tk.q`, bound to
 * their session cookie: QueueCookie.visitorOf), mounted at /api/v1/events/:eventId/queue BEFORE
 * the body parsers and the session middleware (a public route of the queue module, queue.module.ts), so a poll does not read the session from
 * Redis. It runs after the request id, access log, metrics, security headers and rate limit like
 * every route. It answers only the ready cases (QueueService.readyStatus: queued or admitted,
 * event facts cached); everything else — no or a bad cookie, another session, a cache miss, an
 * error — goes on to the normal route below, which answers it in full and re-issues the cookie.
 * Decision: docs/adr/0007-one-request-pipeline.md.
 */
export function queueStatusRoutes(queue: QueueService): Router {
  const r = Router({ mergeParams: true });
  r.get('/', async (req, res, next) => {
    const who = EventIdParams.safeParse(req.params).success ? queue.cookie.visitorOf(req.headers.cookie) : null;
    const status = who ? await queue.readyStatus((req.params as P).eventId, who).catch(() => null) : null;
    if (!status) return next();
    res.setHeader('Cache-Control', 'no-store');
    res.json(status);
  });
  return r;
}

/** The waiting room of one event, mounted at /events/:eventId/queue. */
export function queueRoutes(queue: QueueService): Router {
  const r = Router({ mergeParams: true });
  const params = validate({ params: EventIdParams });
  // While the caller holds a place or an admission, (re-)issue the signed poll cookie that lets
  // the next polls take queueStatusRoutes; it names this request's session and account.
  const issueCookie = (req: Request, res: Response, status: QueueStatus) => {
    if (status.status === 'queued' || status.status === 'admitted') res.cookie(QUEUE_COOKIE, queue.cookie.issue(visitor(req)), queue.cookie.options);
  };

  r.post('/', params, async (req, res) => {
    const status = await queue.join(parsed<P>(res).params.eventId, visitor(req));
    // An anonymous session is only saved once it holds something: keep its id stable across polls.
    if (!req.session.visitor) req.session.visitor = true;
    issueCookie(req, res, status);
    res.setHeader('Cache-Control', 'no-store');
    res.json(status);
  });

  r.get('/', params, async (req, res) => {
    const status = await queue.status(parsed<P>(res).params.eventId, visitor(req));
    issueCookie(req, res, status);
    res.setHeader('Cache-Control', 'no-store');
    res.json(status);
  });

  r.delete('/', params, async (req, res) => {
    await queue.leave(parsed<P>(res).params.eventId, visitor(req));
    res.status(204).end();
  });

  return r;
}
