import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { createTestDatabase } from '../../test/context.js';
import { activeTraceIds, withSpan } from './spans.js';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface SpanOut {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

/** Run test/tracing-child.ts (tracing started before the app is imported) and collect its output. */
async function runTracedChild(): Promise<{ logs: Record<string, unknown>[]; result: { statuses: Record<string, number>; spans: SpanOut[] } }> {
  const databaseUrl = await createTestDatabase();
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: `tkt:${inject('runId')}:trace${Date.now().toString(36)}:`,
    SESSION_SECRET: 'test-session-secret-0123456789',
    LOG_LEVEL: 'info',
    BCRYPT_ROUNDS: '4',
    RATE_LIMITS: 'off',
    WORKERS: 'false',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/tracing-child.ts'], { cwd: apiDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`tracing child exited with ${code}: ${err}`);
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const result = lines.pop() as unknown as { statuses: Record<string, number>; spans: SpanOut[] };
  return { logs: lines, result };
}

/** The database a client span talks to (`db.system.name` in current semantic conventions). */
const dbSystem = (s: SpanOut) => s.attributes['db.system.name'] ?? s.attributes['db.system'];

/** Listen on a free port of 26000-26999 (leaving the next one free for the API) and return it. */
async function listenInRange(server: http.Server): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 26000 + 2 * Math.floor(Math.random() * 499);
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return port;
  }
  throw new Error('no free port in 26000-26999');
}

/** Poll `cond` every 20 ms until it holds or `ms` pass. */
async function until(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out; last: ${what().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('tracing', () => {
  it('when a traced instance answers requests, then the HTTP server span has the use case, pg and ioredis spans as descendants in one trace, and the log lines carry its trace id', { timeout: 120_000 }, async () => {
    const { logs, result } = await runTracedChild();
        expect(result.statuses).toEqual({ ready: 200, register: 201, hold: 201 });
    const spans = result.spans;
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const rootOf = (s: SpanOut): SpanOut => (s.parentSpanId && byId.has(s.parentSpanId) ? rootOf(byId.get(s.parentSpanId)!) : s);
    const serverSpans = spans.filter((s) => s.kind === SpanKind.SERVER);

    // GET /ready: one PostgreSQL query and one Redis PING, both inside the request's trace.
    const readySpan = serverSpans.find((s) => s.attributes['url.path'] === '/ready' || s.attributes['http.target'] === '/ready');
    expect(readySpan, JSON.stringify(serverSpans.map((s) => [s.name, s.attributes]))).toBeDefined();
    expect(readySpan!.parentSpanId).toBeUndefined();
    const inReady = spans.filter((s) => s !== readySpan && rootOf(s) === readySpan);
    expect(inReady.every((s) => s.traceId === readySpan!.traceId)).toBe(true);
    expect(inReady.some((s) => s.kind === SpanKind.CLIENT && dbSystem(s) === 'postgresql')).toBe(true);
    expect(inReady.some((s) => s.kind === SpanKind.CLIENT && dbSystem(s) === 'redis' && s.name === 'ping')).toBe(true);

    // POST /holds: the use case span sits between the request and its Redis and PostgreSQL work.
    const holdUseCase = spans.find((s) => s.name === 'inventory.hold');
    expect(holdUseCase).toBeDefined();
    const holdRoot = rootOf(holdUseCase!);
    expect(holdRoot.kind).toBe(SpanKind.SERVER);
    const underUseCase = spans.filter((s) => {
      for (let p = s.parentSpanId; p; p = byId.get(p)?.parentSpanId) if (p === holdUseCase!.spanId) return true;
      return false;
    });
    expect(underUseCase.some((s) => dbSystem(s) === 'postgresql')).toBe(true);
    expect(underUseCase.some((s) => dbSystem(s) === 'redis')).toBe(true);

    // Every access-log line (probes are not logged) names the trace of its request.
    const access = logs.filter((l) => l.msg === 'request completed');
    const urls = access.map((l) => (l.req as { url: string }).url);
    expect(urls).toHaveLength(2);
    expect(urls[0]).toBe('/api/v1/auth/register');
    expect(urls[1]).toMatch(/^\/api\/v1\/events\/[0-9a-f-]+\/holds$/);
    const serverTraceIds = new Set(serverSpans.map((s) => s.traceId));
    for (const line of access) {
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(serverTraceIds.has(line.trace_id as string)).toBe(true);
    }
    expect(access[1]!.trace_id).toBe(holdRoot.traceId);
  });

  it('when the API is started with its start command and an OTLP endpoint, then its spans reach the collector and SIGTERM still ends it', { timeout: 120_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    // A stand-in collector on this suite's port range: records OTLP/JSON trace exports.
    const exports: { resourceSpans: { scopeSpans: { spans: { name: string; traceId: string }[] }[] }[] }[] = [];
    const collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url === '/v1/traces') exports.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const collectorPort = await listenInRange(collector);
    const apiPort = collectorPort + 1;
    const start = (JSON.parse(readFileSync(path.join(apiDir, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
    expect(start[0]).toBe('node');
    const child = spawn(process.execPath, start.slice(1), {
      cwd: apiDir,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(apiPort),
        DATABASE_URL: databaseUrl,
        REDIS_URL: inject('redisUrl'),
        REDIS_KEY_PREFIX: `tkt:${inject('runId')}:otlp${Date.now().toString(36)}:`,
        SESSION_SECRET: 'test-session-secret-0123456789',
        LOG_LEVEL: 'info',
        WORKERS: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await until(() => out.includes('api listening'), 90_000, () => out);
      const ready = await fetch(`http://127.0.0.1:${apiPort}/ready`);
      expect(ready.status).toBe(200);
      const names = () => exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((ss) => ss.spans.map((sp) => sp.name))));
      await until(() => names().includes('GET /ready') && names().includes('ping'), 10_000, () => JSON.stringify(names()));
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await new Promise((r) => collector.close(r));
    }
  });

  it('when no OTLP endpoint is set, then the preload loads no SDK', async () => {
    const probe = "console.log(JSON.stringify({ api: globalThis[Symbol.for('opentelemetry.js.api.1')] !== undefined }))";
    const child = spawn(process.execPath, ['--import', 'tsx', '--import=./src/platform/tracing.ts', '--input-type=module', '-e', probe], {
      cwd: apiDir,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    expect(JSON.parse(out)).toEqual({ api: false });
  });

  it('when tracing is off, then withSpan only runs its function and log lines get no trace ids', async () => {
    await expect(withSpan('x', async () => 42)).resolves.toBe(42);
    await expect(withSpan('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(activeTraceIds()).toBeUndefined();
  });
});
