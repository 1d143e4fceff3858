import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler, utf8Only } from './http.js';
import { createLogger } from './logger.js';
import { routeLabel } from './metrics.js';
import { accessLog, accessLogLevel } from './access-log.js';
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

describe('error handler: bad input is a 4xx, never a 500', () => {
  const app = express();
  app.use(express.json({ verify: utf8Only }));
  app.get('/items/:id', (req, res) => void res.json({ id: req.params.id }));
  app.post('/echo', (req, res) => void res.json(req.body));
  app.get('/nul', () => {
    throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
  });
  app.get('/untranslatable', () => {
    throw Object.assign(new Error('character cannot be converted'), { code: '22P05' });
  });
  app.use(errorHandler(createLogger('silent', 'test')));

  function expectProblem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  }

  it('when a path parameter is malformed percent-encoding, then 400 bad_request', async () => {
    expectProblem(await request(app).get('/items/%ZZ'), 400, 'bad_request');
    expectProblem(await request(app).get('/items/%E0%A4%A'), 400, 'bad_request');
    expect((await request(app).get('/items/%41')).body).toEqual({ id: 'A' });
  });

  it.each(['gzip', 'deflate', 'br'])('when a plain JSON body says Content-Encoding: %s, then 400 bad_request', async (encoding) => {
    const res = await request(app).post('/echo').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"a":1}');
    expectProblem(res, 400, 'bad_request');
  });

  it('when a gzip body is cut short, then 400; a whole one is read', async () => {
    const { gzipSync } = await import('node:zlib');
    const whole = gzipSync(Buffer.from('{"a":1}'));
    // fetch sends the bytes as they are (superagent re-encodes a Buffer body).
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const post = (body: Uint8Array) =>
      fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(body) });
    try {
      const cut = await post(whole.subarray(0, 12));
      expect(cut.status).toBe(400);
      expect(cut.headers.get('content-type')).toMatch(/problem\+json/);
      expect(((await cut.json()) as { code: string }).code).toBe('bad_request');
      const ok = await post(whole);
      expect(await ok.json()).toEqual({ a: 1 });
    } finally {
      server.close();
    }
  });

  it.each(['compress', 'x-snappy', 'gzip, br'])('when the Content-Encoding is %s (unsupported), then 415 unsupported_media_type', async (encoding) => {
    const res = await request(app).post('/echo').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"a":1}');
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('when a JSON body is not valid UTF-8, then 400 validation_failed; valid UTF-8 is read', async () => {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const post = (body: Buffer) =>
      fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(body) });
    try {
      const bad = await post(Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]));
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { code: string }).code).toBe('validation_failed');
      expect(await (await post(Buffer.from('{"a":"Zoë 🎸"}'))).json()).toEqual({ a: 'Zoë 🎸' });
    } finally {
      server.close();
    }
  });

  it('when the charset is not one JSON allows, then 415', async () => {
    expectProblem(await request(app).post('/echo').set('Content-Type', 'application/json; charset=klingon').send('{"a":1}'), 415, 'unsupported_media_type');
  });

  it('when PostgreSQL refuses a NUL byte (22021) or an untranslatable character (22P05), then 400 validation_failed', async () => {
    expectProblem(await request(app).get('/nul'), 400, 'validation_failed');
    expectProblem(await request(app).get('/untranslatable'), 400, 'validation_failed');
  });
});

describe('access log', () => {
  function appWithLog(level = 'info') {
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
    app.use(accessLog(pino({ level }, sink), new Set(['/health'])));
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

  it('when the client goes away before the answer, then the line says aborted, at warn (nobody must act)', async () => {
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
    expect(lines.map((l) => [l.level, l.msg, (l.req as { url: string }).url])).toEqual([[40, 'request aborted', '/slow']]);
  });

  it('when a fan closes a Server-Sent Events stream, then it is an ordinary end logged at debug, not error', async () => {
    const { app, lines } = appWithLog('debug');
    let closed!: () => void;
    const streamClosed = new Promise<void>((r) => (closed = r));
    app.get('/stream', (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
      res.write(': connected\n\n');
      req.on('close', () => closed());
    });
    const server = app.listen(0);
    const port = (server.address() as { port: number }).port;
    const req = http.get({ port, path: '/stream' }, (res) => res.once('data', () => req.destroy()));
    req.on('error', () => {});
    await streamClosed;
    await new Promise((r) => setImmediate(r));
    server.close();
    expect(lines.map((l) => [l.level, l.msg, (l.req as { url: string }).url])).toEqual([[20, 'stream closed by the client', '/stream']]);
  });

  it.each([
    [200, true, 'application/json', 'info'],
    [404, true, 'application/problem+json', 'warn'],
    [429, true, 'application/problem+json', 'debug'],
    [500, true, 'application/problem+json', 'error'],
    [200, false, 'text/event-stream; charset=utf-8', 'debug'],
    [200, false, 'application/json', 'warn'],
  ] as const)('when the status is %s (complete: %s, %s), then the access line is at %s', (status, complete, type, level) => {
    expect(accessLogLevel(status, complete, type)).toBe(level);
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
