import { Router } from 'express';
import type { AppDeps } from '../../platform/deps.js';

/** Liveness, readiness and metrics: mounted at the root, outside /api/v1. */
export function healthRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/health', (_req, res) => {
    res.json({ status: 'ok', instance: deps.env.INSTANCE_ID, uptimeSeconds: Math.round(process.uptime()) });
  });
  r.get('/ready', async (_req, res) => {
    // Each check answers within 2 s; Redis not connected (reconnecting after a restart) is down at once.
    const within = <T>(p: Promise<T>, ms: number): Promise<boolean> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
      return Promise.race([p.then(() => true, () => false), late]).finally(() => clearTimeout(timer));
    };
    const [pgOk, holdsOk, redisOk] = await Promise.all([
      within(deps.db.query('SELECT 1'), 2_000),
      !deps.holdsDb || deps.holdsDb === deps.db ? Promise.resolve(true) : within(deps.holdsDb.query('SELECT 1'), 2_000),
      deps.redis.status === 'ready' ? within(deps.redis.ping(), 2_000) : Promise.resolve(false),
    ]);
    const details: Record<string, unknown> = { postgres: pgOk && holdsOk ? 'up' : 'down', redis: redisOk ? 'up' : 'down' };
    for (const [name, check] of Object.entries(deps.readinessDetails)) details[name] = check();
    const ok = pgOk && holdsOk && redisOk;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', checks: details });
  });
  r.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return r;
}
