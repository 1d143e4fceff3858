import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler } from './http.js';
import { createLogger } from './logger.js';
import { routeLabel } from './metrics.js';
import { accessLog } from './access-log.js';
import { createHttpServer } from './server.js';
import { API_NODE_FLAGS, TRACING_PRELOAD, apiNodeArgs, missingNodeFlags } from '../../bin/node-flags.mjs';
import { vi } from 'vitest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import http from 'node:http';

describe('route labels for metrics', () => {
  it.each([
    ['/api/v1/checkout', '/', '/api/v1/checkout'],
    ['/api/v1/auth/me', '/me', '/api/v1/auth/me'],
    ['/api/v1/orders/3f1c2a9e-1111-4222-8333-444455556666', '/:orderId', '/api/v1/orders/:orderId'],
    ['/api/v1/events/3f1c2a9e-1111-4222-8333-444455556666/queue', '/', '/api/v1/events/:param/queue'],
    ['/api/v1/events/x/seatmap?x=1', '/events/:eventId/seatmap', '/api/v1/events/:eventId/seatmap'],
  ])('when %s matches route %s, then the label is %s', (url, route, label) => {
    expect(routeLabel(url, route)).toBe(label);
  });
});

describe('error handler', () => {
  const app = express();
  app.get('/deadlock', () => {
    throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
  });
  app.get('/pool', () => {
    throw new Error('timeout exceeded when trying to connect');
  });
  app.get('/boom', () => {
    throw new Error('SELECT secret FROM internals');
  });
  app.use(errorHandler(createLogger('silent', 'test')));

  it('when PostgreSQL reports a deadlock or the pool is exhausted, then 503 service_unavailable with Retry-After', async () => {
    for (const path of ['/deadlock', '/pool']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('service_unavailable');
      expect(res.headers['retry-after']).toBe('1');
    }
  });

  it('when an unknown error escapes, then 500 internal_error without its message', async () => {
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('internal_error');
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|secret/);
  });
});

describe('access log', () => {
  function appWithLog() {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const app = express();
    app.use((req, _res, next) => {
      (req as { id?: string }).id = 'rid-1';
      next();
    });
    app.use(accessLog(pino({ level: 'info' }, sink), new Set(['/health'])));
    app.get('/ok', (_req, res) => void res.json({ ok: true }));
    app.get('/missing', (_req, res) => void res.status(404).end());
    app.get('/broken', (_req, res) => void res.status(503).end());
    app.get('/health', (_req, res) => void res.end('ok'));
    return { app, lines };
  }

  it('when requests complete, then one line each with request id, method, url, status and time, at the level of the status', async () => {
    const { app, lines } = appWithLog();
    await request(app).get('/ok?x=1');
    await request(app).get('/missing');
    await request(app).get('/broken');
    await request(app).get('/health');
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.map((l) => [l.level, l.msg, l.requestId, (l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode])).toEqual([
      [30, 'request completed', 'rid-1', '/ok?x=1', 200],
      [40, 'request completed', 'rid-1', '/missing', 404],
      [50, 'request completed', 'rid-1', '/broken', 503],
    ]);
    for (const l of lines) expect(l.responseTime).toBeGreaterThanOrEqual(0);
  });

  it('when the client goes away before the answer, then the line says aborted, at error', async () => {
    const { app, lines } = appWithLog();
    let release!: () => void;
    const answered = new Promise<void>((r) => (release = r));
    app.get('/slow', async (_req, res) => {
      await answered;
      res.json({ late: true });
    });
    const server = app.listen(0);
    const port = (server.address() as { port: number }).port;
    const req = http.get({ port, path: '/slow' });
    req.on('error', () => {});
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await new Promise((r) => setTimeout(r, 50));
    server.close();
    expect(lines.map((l) => [l.level, l.msg, (l.req as { url: string }).url])).toEqual([[50, 'request aborted', '/slow']]);
  });
});

describe('HTTP server (createHttpServer)', () => {
  /** Serve `app` on `server`, make two keep-alive requests, and count prototype changes of the request and response objects. */
  async function serve(app: express.Express, server: http.Server) {
    const changes: string[] = [];
    const real = Object.setPrototypeOf;
    const spy = vi.spyOn(Object, 'setPrototypeOf').mockImplementation((o: object, proto: object | null) => {
      if ((o instanceof http.IncomingMessage || o instanceof http.ServerResponse) && Object.getPrototypeOf(o) !== proto) changes.push(o.constructor.name);
      return real(o, proto);
    });
    try {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const answers = [];
      for (const path of ['/who?x=1', '/who?x=2']) {
        const res = await fetch(base + path, { headers: { 'x-probe': 'yes' } });
        answers.push({ status: res.status, type: res.headers.get('content-type'), body: await res.json() });
      }
      return { changes, answers };
    } finally {
      spy.mockRestore();
      await new Promise((r) => server.close(r));
    }
  }

  function probeApp() {
    const app = express();
    app.set('answer', 42);
    app.get('/who', (req, res) => {
      res.status(201).json({ probe: req.get('x-probe'), x: req.query.x, answer: req.app.get('answer'), isApp: Object.getPrototypeOf(req) === app.request });
    });
    return app;
  }

  it('when Express handles a request, then it never has to change the prototype of the request or response, and its methods work as before', async () => {
    const app = probeApp();
    const { changes, answers } = await serve(app, createHttpServer(app, { keepAlive: true }));
    expect(changes).toEqual([]);
    expect(answers).toEqual([
      { status: 201, type: 'application/json; charset=utf-8', body: { probe: 'yes', x: '1', answer: 42, isApp: true } },
      { status: 201, type: 'application/json; charset=utf-8', body: { probe: 'yes', x: '2', answer: 42, isApp: true } },
    ]);
  });

  it('when the same app is served by a plain http server, then Express changes both prototypes per request (what createHttpServer avoids)', async () => {
    const app = probeApp();
    const { changes, answers } = await serve(app, http.createServer(app));
    expect(changes).toEqual(['IncomingMessage', 'ServerResponse', 'IncomingMessage', 'ServerResponse']);
    expect(answers.map((a) => a.body)).toEqual([
      { probe: 'yes', x: '1', answer: 42, isApp: true },
      { probe: 'yes', x: '2', answer: 42, isApp: true },
    ]);
  });
});

describe('API node flags', () => {
  it('when the API is started by the launcher, the stack or the queue benchmark, then each takes the flags from the one list', async () => {
    // @ts-expect-error: plain ESM script without types
    const stack = (await import('../../../../scripts/stack.mjs')) as { API_NODE_FLAGS: readonly string[] };
    expect(API_NODE_FLAGS.length).toBeGreaterThan(0);
    expect(stack.API_NODE_FLAGS).toBe(API_NODE_FLAGS);
    const args = apiNodeArgs('src/main.ts', ['--cpu-prof']);
    expect(args).toEqual([...API_NODE_FLAGS, '--cpu-prof', '--import', 'tsx', `--import=${TRACING_PRELOAD}`, 'src/main.ts']);
  });

  it('when a flag is missing from the process arguments, then missingNodeFlags names it', () => {
    expect(missingNodeFlags(['--import', 'tsx'])).toEqual([...API_NODE_FLAGS]);
    expect(missingNodeFlags([...API_NODE_FLAGS, '--import', 'tsx'])).toEqual([]);
  });
});
