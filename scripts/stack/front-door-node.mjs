// The Node front door, a fallback for machines without nginx: the SPA (static.mjs) and a
// round-robin reverse proxy (http-proxy-3) over the API instances with nginx's retry rules
// (nginx.conf, docs/adr/0010-front-door-retries-and-micro-cache.md):
//   - a request whose connection failed before any byte was sent (refused, reset while
//     connecting) goes to the next instance, whatever its method;
//   - an idempotent request (not POST/PATCH/LOCK) also goes to the next instance after an error or
//     a timeout once sent, as long as no response byte reached the client;
//   - an instance that failed is skipped for 5 s (passive health check, like max_fails/fail_timeout);
//   - at most 3 tries (proxy_next_upstream_tries).
// It does not gzip and has no micro-cache: use nginx for anything measured.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { createStaticHandler } from './static.mjs';

/** Paths the front door sends to the API; everything else is the single-page app. */
export const API_PATH = /^\/(api(\/|$)|health$|ready$|metrics$)/;
const SSE_PATH = /^\/api\/v1\/events\/[^/]+\/availability\/stream$/;
/** nginx's definition: these are never replayed once sent (no `non_idempotent`). */
const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK']);
const MAX_BODY = 1024 * 1024; // client_max_body_size 1m
const MAX_TRIES = 3;
const FAIL_TIMEOUT_MS = 5_000;
const READ_TIMEOUT_MS = 60_000;
const ATTEMPT = Symbol('front-door attempt');

/** A problem+json answer made by the front door itself (as nginx.conf's error pages). */
function problem(res, status, code, title, detail) {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/problem+json', ...(status === 503 ? { 'retry-after': '2' } : {}) });
  res.end(JSON.stringify({ type: `https://ticketing.dev/problems/${code.replace(/_/g, '-')}`, title, status, code, detail }));
}

/** The whole request body (nothing for GET/HEAD), or null when it exceeds MAX_BODY. */
function readBody(req) {
  if (req.method === 'GET' || req.method === 'HEAD') return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.pause();
        resolve(null);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Start the Node front door on host:frontPort; resolves with { server, stop }. */
export async function startNodeFrontDoor({ frontPort, host, ports, webDist }) {
  const mod = await import('http-proxy-3');
  const { createProxyServer } = mod.default ?? mod;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const proxy = createProxyServer({ xfwd: true, agent });
  const targets = ports.map((p) => ({ url: `http://127.0.0.1:${p}`, downUntil: 0 }));
  const serveStatic = createStaticHandler(webDist);
  let next = 0;

  // Whether this attempt's request reached the wire: a new connection only once it connected,
  // a reused keep-alive connection at once (nginx: `request_sent`).
  proxy.on('proxyReq', (proxyReq, req, _res, _opts, socket) => {
    const attempt = req[ATTEMPT];
    if (!attempt || !socket) return;
    if (socket.connecting) socket.once('connect', () => (attempt.sent = true));
    else attempt.sent = true;
  });

  /** Next instance in turn that is neither marked down nor already tried for this request. */
  const pick = (tried) => {
    const now = Date.now();
    for (let i = 0; i < targets.length; i++) {
      const t = targets[next++ % targets.length];
      if (!tried.has(t) && t.downUntil <= now) return t;
    }
    // Every untried instance is marked down: try one anyway (nginx does the same).
    return targets.find((t) => !tried.has(t)) ?? null;
  };

  const forward = (req, res, body, tried) => {
    const target = pick(tried);
    if (!target) return problem(res, 503, 'service_unavailable', 'Service Unavailable', 'No API instance answered. Try again shortly.');
    tried.add(target);
    const attempt = { sent: false };
    req[ATTEMPT] = attempt;
    const sse = SSE_PATH.test(req.url.split('?')[0]);
    proxy.web(req, res, { target: target.url, buffer: Readable.from(body.length ? [body] : []), proxyTimeout: sse ? 0 : READ_TIMEOUT_MS }, (err) => {
      if (req[ATTEMPT] !== attempt) return;
      target.downUntil = Date.now() + FAIL_TIMEOUT_MS;
      const retryable = !attempt.sent || !NON_IDEMPOTENT.has(req.method);
      if (retryable && !res.headersSent && tried.size < Math.min(MAX_TRIES, targets.length)) {
        forward(req, res, body, tried);
        return;
      }
      problem(res, 503, 'service_unavailable', 'Service Unavailable', `No API instance answered (${err?.code ?? err?.message ?? 'error'}). Try again shortly.`);
    });
  };

  const server = http.createServer(async (req, res) => {
    const pathname = req.url.split('?')[0];
    if (!API_PATH.test(pathname)) return serveStatic(req, res);
    // One id per request, end to end: keep the client's, otherwise mint one (nginx: $request_id).
    if (!req.headers['x-request-id']) req.headers['x-request-id'] = randomBytes(16).toString('hex');
    // The outermost proxy: a client's own X-Forwarded-For is replaced, never extended (nginx.conf
    // does the same with $remote_addr), so no client can choose the address its limits count.
    delete req.headers['x-forwarded-for'];
    let body;
    try {
      body = await readBody(req);
    } catch {
      return void res.destroy();
    }
    if (body === null) return problem(res, 413, 'payload_too_large', 'Payload Too Large', 'Request bodies are limited to 1 MB.');
    forward(req, res, body, new Set());
  });
  // Long-lived SSE responses: no request/idle timeouts on the front door itself.
  server.requestTimeout = 0;
  server.timeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(frontPort, host, resolve);
  });
  return {
    server,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
        proxy.close?.();
      }),
  };
}
