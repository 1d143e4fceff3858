import { Router } from 'express';
import type { AppDeps } from '../../app.js';

/** Liveness, readiness and metrics: mounted at the root, outside /api/v1. */
export function healthRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/health', (_req, res) => {
    res.json({ status: 'ok', instance: deps.env.INSTANCE_ID, uptimeSeconds: Math.round(process.uptime()) });
  });
  r.get('/ready', async (_req, res) => {
    const withTimeout = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms))]);
    const [pgOk, redisOk] = await Promise.all([
      withTimeout(deps.db.query('SELECT 1'), 2_000).then(() => true, () => false),
      withTimeout(deps.redis.ping(), 2_000).then(() => true, () => false),
    ]);
    const details: Record<string, unknown> = { postgres: pgOk ? 'up' : 'down', redis: redisOk ? 'up' : 'down' };
    for (const [name, check] of Object.entries(deps.readinessDetails)) details[name] = check();
    const ok = pgOk && redisOk;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', checks: details });
  });
  r.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return r;
}
