/**
 * Discovery read benchmark against a seeded database (not a test; run by hand):
 *   cd apps/api && DATABASE_URL=postgres://root@127.0.0.1:5432/<seeded db> npx tsx ../../bench/events-bench.mts
 * Uses Redis key prefix bench-disc: and deletes the event it creates.
 */
import http from 'node:http';
import { createHttpServer } from '../apps/api/src/platform/server.js';
import { loadEnv } from '../apps/api/src/config/env.js';
import { createPool } from '../apps/api/src/platform/db.js';
import { createRedis, redisReady } from '../apps/api/src/platform/redis.js';
import { createLogger } from '../apps/api/src/platform/logger.js';
import { createMetrics } from '../apps/api/src/platform/metrics.js';
import { createApp } from '../apps/api/src/app.js';
import { SEED_VENUE_IDS } from '../apps/api/src/db/seed-data.js';
import { RAISED_RATE_LIMITS } from './lib/raised-limits.mjs';

const env = loadEnv({ ...process.env, ...RAISED_RATE_LIMITS, LOG_LEVEL: 'silent', REDIS_KEY_PREFIX: 'bench-disc:' });
const db = createPool(env.DATABASE_URL, 10);
const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX);
await redisReady(redis);
const { app, services } = createApp({ env, db, redis, logger: createLogger('silent', 'b'), metrics: createMetrics('b'), readinessDetails: {} });
const server = createHttpServer(app).listen(0);
const port = (server.address() as { port: number }).port;
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const get = (path: string) => new Promise<number>((res, rej) => http.get({ port, path, agent }, (r) => { r.resume(); r.on('end', () => res(r.statusCode!)); }).on('error', rej));

async function run(label: string, path: string, n: number, conc: number, before?: () => Promise<void>) {
  const lat: number[] = [];
  let i = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    while (i++ < n) {
      if (before) await before();
      const s = performance.now();
      const code = await get(path);
      if (code !== 200) throw new Error(`${path} ${code}`);
      lat.push(performance.now() - s);
    }
  }));
  const total = performance.now() - t0;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(1);
  console.log(`${label}: ${n} req, conc ${conc}, ${(n / (total / 1000)).toFixed(0)} req/s, p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms`);
}

const events = services.events;
await run('GET /events (cached)', '/api/v1/events?limit=20', 2000, 8);
await run('GET /events (cached, conc 1)', '/api/v1/events?limit=20', 500, 1);
await run('GET /events?q=sym (cached)', '/api/v1/events?q=sym', 2000, 8);
await run('GET /events uncached (cache bumped before each request)', '/api/v1/events?limit=20', 300, 1, () => events.invalidate());
await run('GET /events?q=sym uncached', '/api/v1/events?q=sym', 300, 1, () => events.invalidate());
await run('GET /events/:id (20k seats) cached', '/api/v1/events/5eed0002-0000-4000-8000-000000000001', 2000, 8);
await run('GET /events/:id (20k seats) uncached', '/api/v1/events/5eed0002-0000-4000-8000-000000000001', 300, 1, () => events.invalidate());

const t = performance.now();
const { seats } = await events.create({ name: 'Bench Stadium Night', category: 'concert', venueId: SEED_VENUE_IDS.stadium, startsAt: new Date(Date.now() + 9e8).toISOString(), onSaleAt: new Date().toISOString() });
console.log(`EventsService.create in the 20,000-seat stadium: ${seats} seats in ${(performance.now() - t).toFixed(0)} ms (one transaction)`);
await db.query(`DELETE FROM events WHERE name = 'Bench Stadium Night'`);
server.close(); agent.destroy(); await db.end(); await redis.quit();
