import http from 'node:http';
import { loadEnv } from './config/env.js';
import { createPool } from './platform/db.js';
import { createRedis } from './platform/redis.js';
import { createLogger } from './platform/logger.js';
import { createMetrics } from './platform/metrics.js';
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
// Named statements (the hot paths) are planned once per connection: platform/db.ts.
const db = createPool(env.DATABASE_URL, env.DATABASE_POOL_SIZE, { genericPlans: true });
// Seat-hold writes on their own pool: planned once per connection, committed asynchronously
// unless HOLD_COMMIT=sync (architecture.md, "Hold commits"). A hold statement takes ~0.4 ms, so
// a quarter of the main pool's size is plenty (3 instances × 25 stay under PostgreSQL's 100).
const holdsDb = createPool(env.DATABASE_URL, Math.max(2, Math.ceil(env.DATABASE_POOL_SIZE / 4)), { asyncCommit: env.HOLD_COMMIT === 'async', genericPlans: true });
const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX);
const metrics = createMetrics(env.INSTANCE_ID);
const deps = { env, db, holdsDb, redis, logger, metrics, readinessDetails: {} };
const { app, services } = createApp(deps);

const server = http.createServer(app);
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
