import { spawn } from 'node:child_process';
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

describe('tracing', () => {
  it('when a traced instance answers requests, then the HTTP server span has the use case, pg and ioredis spans as descendants in one trace, and the log lines carry its trace id', async () => {
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

  it('when tracing is off, then withSpan only runs its function and log lines get no trace ids', async () => {
    await expect(withSpan('x', async () => 42)).resolves.toBe(42);
    await expect(withSpan('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(activeTraceIds()).toBeUndefined();
  });
});
