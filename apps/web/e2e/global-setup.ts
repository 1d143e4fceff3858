// Starts the stack the browser tests talk to and tears it down afterwards:
//   throwaway database (unique name) → migrate → seed → build the SPA (if its sources changed) →
//   startStack (three API instances behind nginx when installed) with rate limits off, a unique Redis prefix and a
//   short hold time → tests → stop → drop the database and the Redis keys.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startStack } from '../../../scripts/stack.mjs';

declare module 'vitest' {
  interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    shotsDir: string;
    docsShotsDir: string;
  }
}

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(WEB, '../..');
// scripts/test.mjs passes the maintenance database and Redis it found as TEST_DATABASE_ADMIN_URL / TEST_REDIS_URL.
const PG_ADMIN_URL = process.env.E2E_PG_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Newest modification time under `p` (files only), skipping node_modules and build output. */
function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const name of readdirSync(p)) {
    if (name === 'node_modules' || name === 'dist') continue;
    m = Math.max(m, newest(path.join(p, name)));
  }
  return m;
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${out.slice(-4000)}`))));
  });
}

/**
 * Build the SPA into a private output directory (not apps/web/dist, which other people's
 * builds overwrite at any moment) unless it was built from sources no newer than now.
 * The stamp records when the last e2e build STARTED, so an edit made during a build is seen.
 */
async function buildWebIfStale(): Promise<string> {
  const out = process.env.E2E_WEB_DIST ?? path.join(WEB, 'node_modules/.cache/e2e-dist');
  if (process.env.E2E_WEB_DIST) return out;
  const stampFile = path.join(out, '.e2e-build-started');
  const builtFrom = existsSync(stampFile) ? Number(readFileSync(stampFile, 'utf8')) || 0 : 0;
  const sources = Math.max(newest(path.join(WEB, 'src')), newest(path.join(WEB, 'index.html')), newest(path.join(WEB, 'public')), newest(path.join(WEB, 'vite.config.ts')), newest(path.join(ROOT, 'packages/shared/src')));
  if (!existsSync(path.join(out, 'index.html')) || sources >= builtFrom) {
    const t = Date.now();
    await run(process.execPath, [path.join(WEB, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', out, '--emptyOutDir'], WEB);
    writeFileSync(stampFile, String(t));
    console.log(`[e2e] built the web app into ${path.relative(ROOT, out)} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  return out;
}

/** pg and ioredis come from the API package (the web package does not depend on them). */
const apiRequire = createRequire(path.join(ROOT, 'apps/api/package.json'));

async function dropDatabase(name: string): Promise<void> {
  const { Client } = apiRequire('pg') as { Client: new (o: { connectionString: string }) => { connect(): Promise<void>; query(sql: string): Promise<unknown>; end(): Promise<void> } };
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  type RedisLike = { connect(): Promise<void>; scan(c: string, ...args: (string | number)[]): Promise<[string, string[]]>; unlink(...keys: string[]): Promise<number>; disconnect(): void };
  const Redis = apiRequire('ioredis') as new (url: string, o: object) => RedisLike;
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const dbName = `ticketing_e2e_${id}`;
  const dbUrl = new URL(PG_ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  const redisKeyPrefix = `e2e:${id}:`;
  const shotsDir = mkdtempSync(path.join(os.tmpdir(), 'seatwise-e2e-'));

  const [webDist] = await Promise.all([buildWebIfStale()]);
  let stack: { url: string; stop: () => Promise<void> } | null = null;
  try {
    stack = await startStack({
      databaseUrl,
      redisUrl: REDIS_URL,
      redisKeyPrefix,
      frontPort: 0,
      basePort: 0,
      instances: Number(process.env.E2E_INSTANCES ?? 3),
      webDist,
      migrate: true,
      seed: true,
      output: path.join(shotsDir, 'logs'),
      env: {
        NODE_ENV: 'development',
        RATE_LIMITS: 'off',
        LOG_LEVEL: 'warn',
        BCRYPT_ROUNDS: '4',
        EVENT_CACHE_TTL_SECONDS: '2',
        SIMULATED_PAYMENT_LATENCY_MS: '5',
      },
    });
  } catch (e) {
    await dropDatabase(dbName).catch(() => {});
    await deleteRedisKeys(redisKeyPrefix).catch(() => {});
    throw e;
  }
  console.log(`[e2e] stack ready at ${stack.url} in ${((Date.now() - started) / 1000).toFixed(1)} s (db ${dbName}); screenshots and logs in ${shotsDir}`);
  project.provide('baseUrl', stack.url);
  project.provide('databaseUrl', databaseUrl);
  project.provide('shotsDir', shotsDir);
  project.provide('docsShotsDir', process.env.E2E_DOCS_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/screenshots') : '');

  return async () => {
    await stack?.stop();
    await dropDatabase(dbName).catch((e) => console.error(`[e2e] could not drop ${dbName}:`, e));
    await deleteRedisKeys(redisKeyPrefix).catch((e) => console.error('[e2e] could not delete Redis keys:', e));
    console.log(`[e2e] stack stopped, database dropped; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
}
