#!/usr/bin/env node
// `npx -y pnpm@9.15.9 start`: the whole app on one URL, from a fresh clone.
//   install → PostgreSQL + Redis (running, Docker Compose, or native) → migrate → seed →
//   build the web app → three API instances → front door (nginx or Node) → wait for Ctrl-C.
// Environment: DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX and any API variable are passed on;
// FRONT_PORT (8080), API_BASE_PORT (3001), API_INSTANCES (3), FRONT_DOOR (auto|nginx|node).
// nginx is installed with apt-get when missing and we run as root (scripts/lib/ensure-nginx.mjs).
// An instance that dies is restarted by the stack's supervisor; only nginx dying stops `start`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FatalError, ROOT, bold, checkPostgresLogin, ensureServices, exitWith, green, pnpm, readPackage, say, warn } from './lib/common.mjs';
import { ensureNginx } from './lib/ensure-nginx.mjs';

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

  // Development dependencies too (vite builds the web app), even with NODE_ENV=production,
  // which would otherwise make pnpm skip them ("vite: not found").
  say('Installing dependencies (pnpm install --frozen-lockfile --prod=false)');
  await must('pnpm install', pnpm(['install', '--frozen-lockfile', '--prod=false']));
  const nginxMissing = frontDoor === 'node' ? null : await ensureNginx();
  if (nginxMissing && frontDoor === 'nginx') throw new FatalError(nginxMissing);

  const services = await ensureServices({
    databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL,
    databaseUrlGiven: Boolean(process.env.DATABASE_URL),
  });
  await checkPostgresLogin(services.databaseUrl);
  const env = { ...process.env, DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl, ...productionSecrets() };

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
    await must('web build', pnpm(['--filter', '@ticketing/web', 'run', 'build'], { env: { ...env, NODE_ENV: 'production' } }));
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
    env: productionSecrets(),
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
  const nodeWhy = frontDoor === 'node' ? 'FRONT_DOOR=node' : 'nginx is not installed: a fallback without micro-cache, gzip or shield';
  console.log(`  front door: ${stack.frontDoor === 'nginx' ? 'nginx (nginx.conf)' : `Node proxy (${nodeWhy})`}`);
  for (const i of stack.instances) console.log(`  ${i.id}: ${i.url}  log: ${path.relative(ROOT, i.logFile ?? '') || '(terminal)'}`);
  console.log('  demo accounts:');
  console.log('    admin  admin@example.com / admin-password-1');
  console.log('    fan    fan@example.com   / fan-password-1');
  console.log(`Press Ctrl-C to stop (or: kill $(cat ${path.relative(ROOT, pidFile)})).`);
  console.log(line);

  // An instance that exits is restarted by the supervisor (it prints what happens); the others
  // keep serving meanwhile. nginx is the one URL: without it there is nothing to serve.
  stack.onExit(async ({ who, code, signal }) => {
    if (stopping || who !== 'nginx') return;
    console.error(`\nnginx exited (${signal ?? `code ${code}`}); stopping the API instances.`);
    stopping = true;
    await stack.stop();
    process.exit(1);
  });
}

/**
 * With NODE_ENV=production the API refuses to start without SESSION_SECRET and TICKET_SECRET.
 * For a local production-mode run, make random ones once and keep them in .run/ (so sessions and
 * ticket codes survive a restart); variables that are set win.
 */
function productionSecrets() {
  if (process.env.NODE_ENV !== 'production' || (process.env.SESSION_SECRET && process.env.TICKET_SECRET)) return {};
  const file = path.join(ROOT, '.run', 'local-secrets.json');
  let saved = {};
  if (existsSync(file)) saved = JSON.parse(readFileSync(file, 'utf8'));
  else {
    saved = { SESSION_SECRET: randomBytes(32).toString('hex'), TICKET_SECRET: randomBytes(32).toString('hex') };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    warn(`NODE_ENV=production without SESSION_SECRET/TICKET_SECRET: generated local ones in ${path.relative(ROOT, file)}. Set real secrets for anything public.`);
  }
  return {
    SESSION_SECRET: process.env.SESSION_SECRET || saved.SESSION_SECRET,
    TICKET_SECRET: process.env.TICKET_SECRET || saved.TICKET_SECRET,
  };
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
