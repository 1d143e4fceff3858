#!/usr/bin/env node
// `npx -y pnpm@9.15.9 start`: the whole app on one URL, from a fresh clone.
//   install → PostgreSQL + Redis (running, Docker Compose, or native) → migrate → seed →
//   build the web app → three API instances → front door (nginx or Node) → wait for Ctrl-C.
// Environment: DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX and any API variable are passed on;
// FRONT_PORT (8080), API_BASE_PORT (3001), API_INSTANCES (3), FRONT_DOOR (auto|nginx|node).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FatalError, ROOT, bold, checkPostgresLogin, ensureServices, exitWith, green, pnpm, readPackage, say, warn } from './lib/common.mjs';

const DEFAULT_DATABASE_URL = 'postgres://root@127.0.0.1:5432/ticketing';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function intEnv(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new FatalError(`${name} must be a non-negative integer (got "${v}").`);
  return n;
}

async function must(label, promise) {
  const code = await promise;
  if (code !== 0) throw new FatalError(`${label} failed (exit ${code}); see the output above.`);
}

let stack = null;
let stopping = false;

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the front door and the API instances (they finish in-flight requests)…`);
  const force = setTimeout(() => {
    console.error('Shutdown took too long; exiting.');
    process.exit(1);
  }, 30_000);
  force.unref();
  await stack?.stop();
  console.log('Stopped. (PostgreSQL and Redis keep running.)');
  process.exit(0);
}

async function main() {
  const frontPort = intEnv('FRONT_PORT', 8080);
  const basePort = intEnv('API_BASE_PORT', 3001);
  const instances = intEnv('API_INSTANCES', 3) || 1;
  const frontDoor = process.env.FRONT_DOOR ?? 'auto';
  if (!['auto', 'nginx', 'node'].includes(frontDoor)) throw new FatalError('FRONT_DOOR must be auto, nginx or node.');

  say('Installing dependencies (pnpm install --frozen-lockfile)');
  await must('pnpm install', pnpm(['install', '--frozen-lockfile']));

  const services = await ensureServices({
    databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL,
    databaseUrlGiven: Boolean(process.env.DATABASE_URL),
  });
  await checkPostgresLogin(services.databaseUrl);
  const env = { ...process.env, DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl };

  // The migrate CLI creates the database when it is missing, then applies pending migrations.
  say(`Creating (if missing) and migrating ${new URL(services.databaseUrl).pathname.slice(1)}`);
  await must('pnpm db:migrate', pnpm(['db:migrate'], { env }));

  if (existsSync(path.join(ROOT, 'apps/api/src/db/seed-cli.ts'))) {
    say('Seeding demo data (idempotent)');
    await must('pnpm db:seed', pnpm(['db:seed'], { env }));
  } else warn('Skipping the seed: apps/api/src/db/seed-cli.ts does not exist yet.');

  const web = readPackage('apps/web');
  const webDist = path.join(ROOT, 'apps/web/dist');
  if (web?.scripts?.build) {
    say('Building the web app (apps/web/dist)');
    await must('web build', pnpm(['--filter', '@ticketing/web', 'run', 'build'], { env }));
  } else warn(`Skipping the web build: ${web ? '@ticketing/web has no build script' : 'apps/web/package.json does not exist yet'}.`);

  if (stopping) return;
  say(`Starting ${instances} API instances (ports ${basePort}-${basePort + instances - 1}) and the front door`);
  stack = await startStackLazy({
    databaseUrl: services.databaseUrl,
    redisUrl: services.redisUrl,
    redisKeyPrefix: process.env.REDIS_KEY_PREFIX || 'tk:',
    basePort,
    frontPort,
    instances,
    webDist,
    frontDoor,
    env: {},
  });
  if (stopping) return void (await stack.stop());

  // For stopping it from another shell: kill $(cat .run/start.pid). Killing the npx/pnpm
  // wrapper instead does not reach this process.
  const pidFile = path.join(ROOT, '.run', 'start.pid');
  mkdirSync(path.dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, `${process.pid}\n`);
  process.on('exit', () => rmSync(pidFile, { force: true }));

  const line = '─'.repeat(60);
  console.log(`\n${line}`);
  console.log(`${green('Ticketing is running:')} ${bold(stack.url)}`);
  const nodeWhy = frontDoor === 'node' ? 'FRONT_DOOR=node' : 'nginx is not installed';
  console.log(`  front door: ${stack.frontDoor === 'nginx' ? 'nginx (nginx.conf)' : `Node proxy (${nodeWhy})`}`);
  for (const i of stack.instances) console.log(`  ${i.id}: ${i.url}  log: ${path.relative(ROOT, i.logFile ?? '') || '(terminal)'}`);
  console.log('  demo accounts:');
  console.log('    admin  admin@example.com / admin-password-1');
  console.log('    fan    fan@example.com   / fan-password-1');
  console.log(`Press Ctrl-C to stop (or: kill $(cat ${path.relative(ROOT, pidFile)})).`);
  console.log(line);

  // One instance going away is survivable (the front door skips it); the front door itself or
  // the last instance is not.
  stack.onExit(async ({ who, code, signal, instancesLeft }) => {
    if (stopping) return;
    if (who !== 'nginx' && instancesLeft > 0) {
      warn(`${who} exited (${signal ?? `code ${code}`}); the front door goes on with ${instancesLeft} instance(s). See its log.`);
      return;
    }
    console.error(`\n${who} exited (${signal ?? `code ${code}`}); stopping the rest.`);
    stopping = true;
    await stack.stop();
    process.exit(1);
  });
}

async function startStackLazy(opts) {
  // Imported after `pnpm install` so the Node front door's dependency is present.
  const { startStack } = await import('./stack.mjs');
  return startStack(opts);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
main().catch(async (err) => {
  await stack?.stop().catch(() => {});
  exitWith(err);
});
