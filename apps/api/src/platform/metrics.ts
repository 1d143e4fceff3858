import client from 'prom-client';
import type { RequestHandler } from 'express';
import type pg from 'pg';
import type { RedisClient } from './redis.js';

/**
 * One registry per app instance (tests create several apps in one process).
 * Modules register their own metrics on it through `metrics.registry`.
 */
export function createMetrics(instance: string) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ instance });
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpDuration };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Get-or-create helpers so modules can declare metrics idempotently on one registry. */
export function counter<L extends string>(registry: client.Registry, name: string, help: string, labelNames: readonly L[] = []): client.Counter<L> {
  return (registry.getSingleMetric(name) as client.Counter<L>) ?? new client.Counter({ name, help, labelNames, registers: [registry] });
}
export function gauge<L extends string>(registry: client.Registry, name: string, help: string, labelNames: readonly L[] = []): client.Gauge<L> {
  return (registry.getSingleMetric(name) as client.Gauge<L>) ?? new client.Gauge({ name, help, labelNames, registers: [registry] });
}
export function histogram<L extends string>(registry: client.Registry, name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): client.Histogram<L> {
  return (registry.getSingleMetric(name) as client.Histogram<L>) ?? new client.Histogram({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) });
}

/**
 * The matched route as a pattern: the router mount path (rebuilt from the URL, since Express
 * resets `baseUrl` before `finish`; anything but a plain word folded to `:param`) plus the
 * route's own pattern. Unmatched requests are `unmatched`, so cardinality stays bounded.
 */
export function routeLabel(originalUrl: string, routePath: string): string {
  const segments = originalUrl.split('?')[0]!.split('/');
  const own = routePath === '/' ? 0 : routePath.split('/').length - 1;
  const base = segments.slice(0, Math.max(1, segments.length - own)).map((s) => (/^[a-z0-9-]*$/i.test(s) && !/\d{3}/.test(s) ? s : ':param'));
  return `${base.join('/')}${routePath === '/' ? '' : routePath}` || '/';
}

/** Observe every request's duration by route pattern and status. */
export function metricsMiddleware(m: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = m.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route ? routeLabel(req.originalUrl, String(req.route.path)) : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * PostgreSQL pool gauges, read from the pools at every scrape: `db_pool_clients{pool, state}`
 * (state total, idle or waiting: callers queued for a connection) and `db_pool_max_clients{pool}`.
 * A pool whose `waiting` stays above zero is exhausted (ops/prometheus/alerts.yml).
 */
export function observePools(m: Metrics, pools: Record<string, pg.Pool | undefined>): void {
  const entries = Object.entries(pools).filter((e): e is [string, pg.Pool] => e[1] !== undefined);
  if (m.registry.getSingleMetric('db_pool_clients')) return;
  new client.Gauge({
    name: 'db_pool_clients',
    help: 'PostgreSQL pool clients by state: total (open), idle, waiting (callers queued for a connection)',
    labelNames: ['pool', 'state'] as const,
    registers: [m.registry],
    collect() {
      for (const [pool, p] of entries) {
        this.set({ pool, state: 'total' }, p.totalCount);
        this.set({ pool, state: 'idle' }, p.idleCount);
        this.set({ pool, state: 'waiting' }, p.waitingCount);
      }
    },
  });
  new client.Gauge({
    name: 'db_pool_max_clients',
    help: 'The most connections a PostgreSQL pool opens',
    labelNames: ['pool'] as const,
    registers: [m.registry],
    collect() {
      for (const [pool, p] of entries) this.set({ pool }, p.options.max ?? 10);
    },
  });
}

/**
 * Redis connection health: `redis_connection_errors_total{client}` counts the client's `error`
 * events (refused, reset or timed-out connections; a failed command rejects its caller instead),
 * `redis_connected{client}` is 1 while the connection is ready.
 */
export function observeRedis(m: Metrics, clients: Record<string, RedisClient>): void {
  const errors = counter(m.registry, 'redis_connection_errors_total', 'Redis connection errors (error events of the client)', ['client'] as const);
  const entries = Object.entries(clients);
  for (const [name, r] of entries) {
    errors.inc({ client: name }, 0);
    r.on('error', () => errors.inc({ client: name }));
    // A Cluster reports a failing node's connection as 'node error' ('error' is for the cluster as a whole).
    r.on('node error', () => errors.inc({ client: name }));
  }
  if (m.registry.getSingleMetric('redis_connected')) return;
  new client.Gauge({
    name: 'redis_connected',
    help: '1 while the Redis client connection is ready',
    labelNames: ['client'] as const,
    registers: [m.registry],
    collect() {
      for (const [name, r] of entries) this.set({ client: name }, r.status === 'ready' ? 1 : 0);
    },
  });
}
