// Helpers shared by scripts/start.mjs, scripts/test.mjs and scripts/stack.mjs.
// Plain Node (no dependencies) so they work before `pnpm install` has run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The pinned pnpm version (root package.json `packageManager`). */
export const PNPM_VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1];

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = (s) => paint('1', s);
export const green = (s) => paint('32', s);
export const red = (s) => paint('31', s);
export const yellow = (s) => paint('33', s);

/** A step banner: `==> text`. */
export function say(msg) {
  console.log(`${bold('==>')} ${msg}`);
}
export function warn(msg) {
  console.warn(`${yellow('warning:')} ${msg}`);
}
/** An error the user can act on; `FatalError` ends the script with this text and no stack. */
export class FatalError extends Error {}

/**
 * How to run the same pnpm that launched us. `npx -y pnpm@X start` sets npm_execpath to
 * that pnpm's pnpm.cjs; when a script is run directly with `node`, fall back to a pinned npx.
 */
export function pnpmCommand() {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(path.basename(execpath)) && existsSync(execpath)) {
    return /\.[cm]?js$/.test(execpath) ? [process.execPath, [execpath]] : [execpath, []];
  }
  return ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
}

let interrupted = false;
/** True once Ctrl-C or SIGTERM reached us while a step ran: callers stop instead of going on. */
export const wasInterrupted = () => interrupted;

/**
 * Run a command to completion with inherited stdout/stderr and no stdin (CI has none).
 * Resolves with the exit code (a signal or a timeout counts as 1). `timeoutMs` kills the
 * whole process group.
 */
export function run(cmd, args, { cwd = ROOT, env = process.env, timeoutMs, label } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    // Forward Ctrl-C / SIGTERM to the step's process group while it runs.
    const forward = (sig) => {
      if (sig === 'SIGINT' || sig === 'SIGTERM') interrupted = true;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    let timer;
    if (timeoutMs) {
      timer = setTimeout(() => {
        console.error(red(`${label ?? cmd} did not finish within ${Math.round(timeoutMs / 60000)} min; stopping it.`));
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 10_000).unref();
      }, timeoutMs);
    }
    const done = (code) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code);
    };
    child.on('error', (err) => {
      console.error(red(`could not run ${cmd}: ${err.message}`));
      done(127);
    });
    child.on('exit', (code, signal) => done(signal ? 1 : code));
  });
}

/** Run pnpm with the given arguments (see `run`). */
export function pnpm(args, opts = {}) {
  const [cmd, prefix] = pnpmCommand();
  return run(cmd, [...prefix, ...args], { label: `pnpm ${args.join(' ')}`, ...opts });
}

/** Does a command exist on PATH (or as an absolute path)? */
export function hasCommand(name) {
  if (name.includes('/')) return existsSync(name);
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Resolve true when something accepts a TCP connection on host:port within `ms`. */
export function tcpProbe(host, port, ms = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Poll `tcpProbe` until it answers or `ms` passes. */
export async function waitForPort(host, port, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await tcpProbe(host, port, 500)) return true;
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

/** Host and port of a postgres:// or redis:// URL, with the protocol's default port. */
export function hostPort(url, defaultPort) {
  const u = new URL(url);
  const host = u.hostname === 'localhost' || u.hostname === '' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
  return { host, port: Number(u.port || defaultPort) };
}

const isLocal = (host) => host === '127.0.0.1' || host === '::1' || host === 'localhost';

/** True when a Docker engine answers (`docker info` succeeds), not just a client. */
export function dockerEngineAvailable() {
  if (!hasCommand('docker')) return false;
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 });
  if (info.status !== 0) return false;
  return spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
}

/** The database URL and Redis URL the Compose services publish on the host (docker-compose.yml). */
export const COMPOSE_DATABASE_URL = 'postgres://ticketing:ticketing@127.0.0.1:5432/ticketing';
export const COMPOSE_REDIS_URL = 'redis://127.0.0.1:6379';

/** Start the natively installed PostgreSQL clusters (Debian's pg_ctlcluster) when we may. */
async function startNativePostgres() {
  if (!hasCommand('pg_ctlcluster') || !hasCommand('pg_lsclusters')) return 'PostgreSQL server tools (pg_ctlcluster) are not installed';
  if (!isRoot()) return 'PostgreSQL is installed but not running, and starting it needs root (sudo pg_ctlcluster <version> main start)';
  const list = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  const clusters = (list.stdout || '')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && f[0]);
  if (!clusters.length) return 'PostgreSQL is installed but has no cluster (create one: pg_createcluster <version> main)';
  const down = clusters.filter(([, , , status]) => status !== 'online');
  if (!down.length) return `every PostgreSQL cluster is already running, on port(s) ${clusters.map((c) => c[2]).join(', ')}`;
  for (const [version, name] of down) {
    say(`Starting PostgreSQL cluster ${version}/${name} (pg_ctlcluster)`);
    const r = spawnSync('pg_ctlcluster', [version, name, 'start'], { stdio: 'inherit' });
    if (r.status !== 0) warn(`pg_ctlcluster ${version} ${name} start exited with ${r.status}`);
  }
  return null;
}

/** Start a natively installed redis-server as a daemon (no root needed). */
function startNativeRedis(port) {
  if (!hasCommand('redis-server')) return 'redis-server is not installed';
  say(`Starting redis-server on 127.0.0.1:${port}`);
  const r = spawnSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--dir', os.tmpdir(), '--save', '', '--appendonly', 'no'],
    { stdio: 'inherit' },
  );
  return r.status === 0 ? null : `redis-server exited with ${r.status}`;
}

const INSTALL_HINT = [
  'Install and start them, then run the command again. Either:',
  '  - Docker with Compose (a running engine): the script then starts them from docker-compose.yml, or',
  '  - natively, e.g. on Debian/Ubuntu:  sudo apt-get install -y postgresql redis-server',
  '    (PostgreSQL 15+ and Redis 7+; the default DATABASE_URL connects as the OS user over TCP,',
  '     e.g. sudo -u postgres createuser --superuser "$USER" and trust/password auth for 127.0.0.1),',
  '  - or point DATABASE_URL / REDIS_URL at servers you already have.',
].join('\n');

/**
 * Make sure PostgreSQL and Redis answer. Order: already answering → Docker Compose (when an
 * engine answers and the URLs are local) → native servers started here → a clear error.
 * Returns the URLs to use (Compose changes the database role unless `databaseUrlGiven`) and how
 * they were found.
 */
export async function ensureServices({ databaseUrl, redisUrl, allowDocker = true, databaseUrlGiven = false }) {
  const pg = hostPort(databaseUrl, 5432);
  const rd = hostPort(redisUrl, 6379);
  let pgUp = await tcpProbe(pg.host, pg.port);
  let redisUp = await tcpProbe(rd.host, rd.port);
  if (pgUp && redisUp) {
    say(`PostgreSQL (${pg.host}:${pg.port}) and Redis (${rd.host}:${rd.port}) are answering`);
    return { databaseUrl, redisUrl, via: 'running' };
  }

  const missing = [!pgUp && 'postgres', !redisUp && 'redis'].filter(Boolean);
  if (allowDocker && isLocal(pg.host) && isLocal(rd.host) && dockerEngineAvailable()) {
    say(`Docker engine found: starting ${missing.join(' and ')} with Docker Compose`);
    const code = await run('docker', ['compose', 'up', '-d', '--wait', ...missing], { timeoutMs: 10 * 60_000 });
    if (code !== 0) throw new FatalError(`docker compose up ${missing.join(' ')} failed (exit ${code}).`);
    // The Compose PostgreSQL has its own role and password (docker-compose.yml), unless the
    // user named a URL: then it is theirs to match.
    let url = databaseUrl;
    if (!pgUp && !databaseUrlGiven) {
      const compose = new URL(COMPOSE_DATABASE_URL);
      compose.pathname = new URL(databaseUrl).pathname;
      url = compose.toString();
    }
    const okPg = await waitForPort(pg.host, pg.port, 60_000);
    const okRedis = await waitForPort(rd.host, rd.port, 60_000);
    if (!okPg || !okRedis) throw new FatalError('Docker Compose started, but PostgreSQL/Redis did not answer within 60 s.');
    return { databaseUrl: url, redisUrl, via: 'docker' };
  }

  const problems = [];
  if (!pgUp) {
    if (!isLocal(pg.host)) problems.push(`PostgreSQL at ${pg.host}:${pg.port} does not answer`);
    else {
      const why = await startNativePostgres();
      pgUp = await waitForPort(pg.host, pg.port, why ? 1000 : 30_000);
      if (!pgUp) problems.push(`PostgreSQL does not answer on ${pg.host}:${pg.port}${why ? `: ${why}` : ' (started it, but it is not listening there)'}`);
    }
  }
  if (!redisUp) {
    if (!isLocal(rd.host)) problems.push(`Redis at ${rd.host}:${rd.port} does not answer`);
    else {
      const why = startNativeRedis(rd.port);
      redisUp = await waitForPort(rd.host, rd.port, why ? 1000 : 15_000);
      if (!redisUp) problems.push(`Redis does not answer on ${rd.host}:${rd.port}${why ? `: ${why}` : ''}`);
    }
  }
  if (problems.length) throw new FatalError(`${problems.join('\n')}\n\n${INSTALL_HINT}`);
  say('PostgreSQL and Redis are answering (native servers)');
  return { databaseUrl, redisUrl, via: 'native' };
}

/** Read a workspace package.json, or null when the package does not exist. */
export function readPackage(dir) {
  const file = path.join(ROOT, dir, 'package.json');
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Print a FatalError's message (or a stack for anything else) and exit non-zero. */
export function exitWith(err) {
  if (err instanceof FatalError) console.error(`\n${red('error:')} ${err.message}`);
  else console.error(err);
  process.exit(1);
}

/**
 * Log in to PostgreSQL's maintenance database with the credentials of `databaseUrl` (after
 * `pnpm install`: uses the API's `pg`). TCP answering is not enough on a fresh machine, where
 * the role usually does not exist or needs a password; say so plainly instead of failing later.
 */
export async function checkPostgresLogin(databaseUrl) {
  const { createRequire } = await import('node:module');
  const pg = createRequire(path.join(ROOT, 'apps/api/package.json'))('pg');
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const who = decodeURIComponent(admin.username || os.userInfo().username);
    throw new FatalError(
      `PostgreSQL answers on ${admin.host} but refused to log in as "${who}": ${err.message}\n` +
        `Create that role as a superuser (sudo -u postgres createuser --superuser ${who}) and allow it over TCP\n` +
        '(pg_hba.conf "trust" for 127.0.0.1 on a development machine, or give it a password), or set\n' +
        'DATABASE_URL (start) / TEST_DATABASE_ADMIN_URL (test) to a URL with a user and password that work.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}
