import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import pg from 'pg';
import request from 'supertest';
import { inject } from 'vitest';
import { loadEnv, type Env } from '../src/config/env.js';
import { createAppPools } from '../src/platform/db.js';
import { createRedis, redisReady, type RedisClient } from '../src/platform/redis.js';
import { createLogger } from '../src/platform/logger.js';
import { createMetrics } from '../src/platform/metrics.js';
import { createHttpServer } from '../src/platform/server.js';
import { createApp, type App, type AppOptions } from '../src/app.js';
import type { AppDeps } from '../src/platform/deps.js';

export interface TestContext extends App {
  deps: AppDeps;
  env: Env;
  db: pg.Pool;
  redis: RedisClient;
  databaseUrl: string;
  /** The app behind the production server factory (platform/server.ts), as main.ts serves it. */
  server: http.Server;
  /** A supertest agent that keeps cookies: one browser session. */
  agent: () => ReturnType<typeof request.agent>;
  /** A second app (another "instance") on the same database and Redis prefix. */
  sibling: (envOverrides?: Record<string, string>) => TestApp;
  close: () => Promise<void>;
}

export interface TestApp extends App {
  deps: AppDeps;
  /** The app behind the production server factory (platform/server.ts), as main.ts serves it. */
  server: http.Server;
  agent: () => ReturnType<typeof request.agent>;
}

function uniqueName(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** Clone the migrated template into a fresh database for this test file. */
export async function createTestDatabase(): Promise<string> {
  const name = `tk_test_${inject('runId')}_${uniqueName()}`;
  const admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDb')}"`);
        break;
      } catch (err) {
        // 55006: the template is briefly in use by a concurrent clone; try again.
        if ((err as { code?: string }).code !== '55006' || attempt > 100) throw err;
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      }
    }
  } finally {
    await admin.end();
  }
  const u = new URL(inject('adminUrl'));
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh database, a fresh Redis key prefix and an app wired to them, on the production
 * configuration (NODE_ENV=production, rate limits on) with limits raised so a test's many requests
 * from one address pass; a test of a limit sets its own low limit. Cookies are not `Secure`
 * because supertest speaks plain HTTP. Workers are not started; tests run a worker's `run()`
 * themselves or start them explicitly (`ctx.workers`). `options` shortens the modules' lifetimes
 * or gives them a clock the test moves (AppOptions in app.ts); siblings share them.
 *
 * `REDIS_CLUSTER_NODES` in `envOverrides` runs the apps on a Redis Cluster and `DATABASE_READ_URL`
 * gives them a read pool, as in production; `options.databaseUrl` uses that (already migrated) database
 * instead of a clone of the template (a primary of the test's own, e.g. test/servers/pg-replica.ts).
 */
export async function createTestContext(envOverrides: Record<string, string> = {}, options: AppOptions & { databaseUrl?: string } = {}): Promise<TestContext> {
  const { databaseUrl: givenDatabaseUrl, ...appOptions } = options;
  const databaseUrl = givenDatabaseUrl ?? (await createTestDatabase());
  const prefix = `tkt:${inject('runId')}:${uniqueName()}:`;
  const baseEnv: Record<string, string> = {
    NODE_ENV: 'production',
    TICKET_SECRET: 'test-ticket-secret-0123456789',
    COOKIE_SECURE: 'false',
    DATABASE_URL: databaseUrl,
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: prefix,
    SESSION_SECRET: 'test-session-secret-0123456789',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    BCRYPT_ROUNDS: '4',
    RATE_LIMIT_API_PER_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000',
    RATE_LIMIT_REGISTER_PER_IP: '1000000',
    WORKERS: 'false',
  };
  const closers: (() => Promise<unknown>)[] = [];

  const build = (overrides: Record<string, string>, db: pg.Pool | null): TestApp & { env: Env; db: pg.Pool; redis: RedisClient } => {
    const env = loadEnv({ ...baseEnv, ...envOverrides, ...overrides } as NodeJS.ProcessEnv);
    // The same two pools as main.ts; a sibling instance shares the first one's main pool (pg pools
    // connect lazily, so its own unused one costs nothing) and has its own holds pool.
    const pools = createAppPools(env, 10);
    const pool = db ?? pools.db;
    const holdsDb = pools.holdsDb;
    // With DATABASE_READ_URL each instance has its own read pool; without, reads share `pool`.
    const readDb = env.DATABASE_READ_URL ? pools.readDb : pool;
    const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX, { clusterNodes: env.REDIS_CLUSTER_NODES });
    closers.push(() => pools.db.end(), () => holdsDb.end());
    if (readDb !== pool) closers.push(() => readDb.end());
    closers.push(() => redis.quit().catch(() => redis.disconnect()));
    const deps: AppDeps = { env, db: pool, holdsDb, readDb, redis, logger: createLogger(env.LOG_LEVEL, env.INSTANCE_ID), metrics: createMetrics(env.INSTANCE_ID), readinessDetails: {} };
    const app = createApp(deps, appOptions);
    const server = createHttpServer(app.app);
    return { ...app, deps, env, db: pool, redis, server, agent: () => request.agent(server) };
  };

  const main = build({}, null);
  await redisReady(main.redis);
  return {
    ...main,
    databaseUrl,
    sibling: (overrides = {}) => build({ INSTANCE_ID: `api-${uniqueName()}`, ...overrides }, main.db),
    close: async () => {
      for (const c of closers.reverse()) await c().catch(() => {});
    },
  };
}

let counter = 0;
/** A unique e-mail for a test user. */
export function uniqueEmail(tag = 'user'): string {
  return `${tag}.${Date.now().toString(36)}.${++counter}.${randomBytes(2).toString('hex')}@example.test`;
}

export const TEST_PASSWORD = 'correct-horse-42';

/** Register a user on a new agent (a signed-in browser session) and return both. */
export async function signedInAgent(ctx: Pick<TestContext, 'agent' | 'db'>, opts: { role?: 'user' | 'admin'; email?: string } = {}) {
  const agent = ctx.agent();
  const email = opts.email ?? uniqueEmail(opts.role ?? 'user');
  const res = await agent.post('/api/v1/auth/register').send({ email, password: TEST_PASSWORD, name: 'Test User' });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  if (opts.role === 'admin') {
    await ctx.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [res.body.id]);
    const login = await agent.post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
    if (login.status !== 200) throw new Error('admin re-login failed');
  }
  return { agent, user: res.body as { id: string; email: string; name: string; role: string }, email };
}
