/**
 * Child process of platform/tracing.test.ts: starts tracing as the `--import` preload does, but
 * with an in-memory exporter, then imports the app (so the instrumentations patch express, pg and
 * ioredis), answers a readiness probe and a hold, and prints one JSON line with the finished spans.
 * Log lines go to stdout too. Environment: the test's database, Redis and key prefix.
 */
import { tracing } from '@opentelemetry/sdk-node';
import { startTracing } from '../src/platform/tracing-sdk.js';

const exporter = new tracing.InMemorySpanExporter();
const sdk = await startTracing({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });

// Imported only now: the loader hook must see these imports.
const { loadEnv } = await import('../src/config/env.js');
const { createAppPools } = await import('../src/platform/db.js');
const { createRedis, redisReady } = await import('../src/platform/redis.js');
const { createLogger } = await import('../src/platform/logger.js');
const { createMetrics } = await import('../src/platform/metrics.js');
const { createHttpServer } = await import('../src/platform/server.js');
const { createApp } = await import('../src/app.js');
const { createTestEvent } = await import('./factories.js');

const env = loadEnv();
const { db, holdsDb } = createAppPools(env, 4);
const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX);
await redisReady(redis);
const deps = { env, db, holdsDb, redis, logger: createLogger(env.LOG_LEVEL, env.INSTANCE_ID), metrics: createMetrics(env.INSTANCE_ID), readinessDetails: {} };
const { app, services } = createApp(deps);
const server = createHttpServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

// fetch (undici) is not instrumented: each request's server span is the root of its trace.
const ready = await fetch(`${base}/ready`);
const event = await createTestEvent(db);
const reg = await fetch(`${base}/api/v1/auth/register`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: `trace.${Date.now()}@example.test`, password: 'correct-horse-42', name: 'Trace Test' }),
});
const cookie = reg.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const hold = await fetch(`${base}/api/v1/events/${event.eventId}/holds`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', cookie },
  body: JSON.stringify({ seatIds: [event.seatIds[0]] }),
});

await new Promise<void>((resolve) => server.close(() => resolve()));
server.closeAllConnections();
await services.inventory.close();
await Promise.allSettled([db.end(), holdsDb.end(), redis.quit()]);
const spans = exporter.getFinishedSpans().map((s) => ({
  name: s.name,
  kind: s.kind,
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  parentSpanId: s.parentSpanContext?.spanId,
  attributes: s.attributes,
}));
await sdk.shutdown();
process.stdout.write(`${JSON.stringify({ statuses: { ready: ready.status, register: reg.status, hold: hold.status }, spans })}\n`);
