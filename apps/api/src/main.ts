import { loadEnv } from './config/env.js';
import { createAppPools } from './platform/db.js';
import { createRedis } from './platform/redis.js';
import { createLogger } from './platform/logger.js';
import { createMetrics, observePools, observeRedis } from './platform/metrics.js';
import { createHttpServer } from './platform/server.js';
import { missingNodeFlags } from '../bin/node-flags.mjs';
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
if (missing.length) logger.warn({ missing }, 'started without the API node flags: start it with bin/api.mjs (docs/adr/0005-node-flags.md)');
// The main pool and the seat-hold pool (platform/db.ts, architecture.md "Hold commits").
// A lost connection is a warning, not a crash: the pool replaces it (platform/db.ts).
const { db, holdsDb, readDb } = createAppPools(env, env.DATABASE_POOL_SIZE, (err) => logger.warn({ pgCode: err.code, err: err.message }, 'postgres connection lost'));
const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX, { clusterNodes: env.REDIS_CLUSTER_NODES });
const metrics = createMetrics(env.INSTANCE_ID);
observePools(metrics, { main: db, holds: holdsDb, ...(readDb !== db ? { read: readDb } : {}) });
observeRedis(metrics, { main: redis });
const deps = { env, db, holdsDb, readDb, redis, logger, metrics, readinessDetails: {} };
const { app, services, workers } = createApp(deps);

// The production server factory (docs/adr/0004-express-server-subclassing.md).
const server = createHttpServer(app);
const stopWorkers = env.WORKERS ? startWorkers(deps, workers) : () => Promise.resolve();

server.listen(env.PORT, env.HOST, () => logger.info({ host: env.HOST, port: env.PORT }, 'api listening'));

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
  await Promise.allSettled([db.end(), holdsDb.end(), ...(readDb !== db ? [readDb.end()] : []), redis.quit()]);
  logger.info('bye');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
