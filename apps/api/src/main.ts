import { loadEnv } from './config/env.js';
import { createAppPools } from './platform/db.js';
import { createRedis } from './platform/redis.js';
import { createLogger } from './platform/logger.js';
import { createMetrics } from './platform/metrics.js';
import { createHttpServer, missingNodeFlags } from './platform/server.js';
import { createApp } from './app.js';
import { startWorkers } from './workers.js';

let env;
try {
  env = loadEnv();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

const logger = createLogger(env.LOG_LEVEL, env.INSTANCE_ID);
const missing = missingNodeFlags();
if (missing.length) logger.warn({ missing }, 'started without the recommended node flags (platform/server.ts API_NODE_FLAGS): longer GC pauses under load');
// The main pool and the seat-hold pool (platform/db.ts, architecture.md "Hold commits").
// A lost connection is a warning, not a crash: the pool replaces it (platform/db.ts).
const { db, holdsDb } = createAppPools(env, env.DATABASE_POOL_SIZE, (err) => logger.warn({ pgCode: err.code, err: err.message }, 'postgres connection lost'));
const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX);
const metrics = createMetrics(env.INSTANCE_ID);
const deps = { env, db, holdsDb, redis, logger, metrics, readinessDetails: {} };
const { app, services } = createApp(deps);

// Built so Express never re-prototypes a request (platform/server.ts: young-GC pauses).
const server = createHttpServer(app);
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const stopWorkers = env.WORKERS ? startWorkers(deps, services) : () => Promise.resolve();

server.listen(env.PORT, () => logger.info({ port: env.PORT }, 'api listening'));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
  const force = setTimeout(() => {
    logger.error('shutdown timed out; exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  await stopWorkers();
  // Open SSE streams would keep server.close() waiting: end them first.
  await services.inventory.close();
  // Stop accepting; idle keep-alive sockets are closed, busy ones finish their request first.
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await Promise.allSettled([db.end(), holdsDb.end(), redis.quit()]);
  logger.info('bye');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
