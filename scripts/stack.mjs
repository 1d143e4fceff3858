// The local multi-instance stack: N API instances behind one front door (nginx when installed,
// otherwise the Node proxy with a warning), kept running by a supervisor that restarts an
// instance that died. Used by scripts/start.mjs, the stack tests and the web end-to-end tests.
//
//   import { startStack } from '../../scripts/stack.mjs';
//   const stack = await startStack({ databaseUrl, redisUrl, redisKeyPrefix: 'e2e:x:', frontPort: 0, basePort: 0, migrate: true, seed: true });
//   … stack.url …
//   await stack.stop();
//
// One job per file: stack/supervisor.mjs (instances and restarts), stack/nginx.mjs (nginx),
// stack/front-door-node.mjs (the fallback proxy), stack/static.mjs (the SPA for it),
// stack/processes.mjs (ports, readiness, stopping).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FatalError, ROOT, say, warn } from './lib/common.mjs';
import { API_PATH } from './stack/front-door-node.mjs';
import { localNginxConfig, nginxBinary, startNginx, NGINX_INSTALL_HINT } from './stack/nginx.mjs';
import { freePort, portInUse, tail, waitReady } from './stack/processes.mjs';
import { createSupervisor } from './stack/supervisor.mjs';

export { API_PATH, freePort, localNginxConfig };

const API_DIR = path.join(ROOT, 'apps/api');

/**
 * Node flags and preloads every API instance runs with, named once in apps/api/bin/node-flags.mjs
 * (docs/adr/0005-node-flags.md).
 */
export const { API_NODE_FLAGS, apiNodeArgs } = await import('../apps/api/bin/node-flags.mjs');

/**
 * Run one of the API's CLIs (`src/db/migrate-cli.ts`, `src/db/seed-cli.ts`) with tsx, in the
 * API's directory, against `databaseUrl`. Rejects with the CLI's output on failure.
 */
export function runApiCli(script, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: API_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${script} failed (exit ${code}):\n${out.trim()}`))));
  });
}

/**
 * Start `instances` API processes on consecutive ports from `basePort` (0: any free ports) and
 * one front door on `frontPort` (0: any free port), all sharing `databaseUrl`, `redisUrl` and
 * `redisKeyPrefix`. Workers run in every instance (they are safe to run concurrently). See
 * scripts/stack.d.mts for every option and the returned object.
 */
export async function startStack({
  databaseUrl,
  redisUrl = 'redis://127.0.0.1:6379',
  redisKeyPrefix = 'tk:',
  basePort = 3001,
  frontPort = 8080,
  instances = 3,
  host = '127.0.0.1',
  webDist = path.join(ROOT, 'apps/web/dist'),
  env = {},
  migrate = false,
  seed = false,
  frontDoor = 'auto',
  output,
  runDir,
  readyTimeoutMs = 120_000,
  /** Extra node flags for every API instance (benchmarks: --cpu-prof, --max-semi-space-size…). */
  nodeArgs = [],
  restartBackoff = {},
  shieldAllowList = [],
  log = (line) => console.log(`[stack] ${line}`),
} = {}) {
  if (!databaseUrl) throw new Error('startStack: databaseUrl is required');
  webDist = path.resolve(webDist);
  const ports = [];
  for (let i = 0; i < instances; i++) ports.push(basePort === 0 ? await freePort() : basePort + i);
  // A stack on throwaway ports (tests) keeps its default run directory only while it runs.
  const ephemeralRunDir = frontPort === 0 && !runDir;
  if (frontPort === 0) frontPort = await freePort();
  for (const p of [frontPort, ...ports]) {
    if (await portInUse(p)) throw new FatalError(`Port ${p} is already in use (another stack still running?). Stop it or choose other ports.`);
  }
  runDir = path.resolve(runDir ?? path.join(ROOT, '.run', `stack-${frontPort}`));
  mkdirSync(runDir, { recursive: true });
  const logDir = output === undefined ? runDir : typeof output === 'string' && !['inherit', 'ignore'].includes(output) ? path.resolve(output) : null;
  if (logDir) mkdirSync(logDir, { recursive: true });

  const baseEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    WORKERS: 'true',
    // Instances listen on loopback only and trust X-Forwarded-For from the front door there alone.
    HOST: '127.0.0.1',
    TRUST_PROXY: 'loopback',
    // The local stack is plain HTTP: a Secure cookie would never come back.
    COOKIE_SECURE: 'false',
    ...env,
  };
  // Never let a caller's PORT/INSTANCE_ID leak into every instance.
  delete baseEnv.PORT;
  delete baseEnv.INSTANCE_ID;

  if (migrate) say(`Migrating ${new URL(databaseUrl).pathname.slice(1)}: ${await runApiCli('src/db/migrate-cli.ts', baseEnv)}`);
  if (seed) say(`Seeding: ${(await runApiCli('src/db/seed-cli.ts', baseEnv)) || 'done'}`);

  const specs = ports.map((port, i) => {
    const id = `api-${i + 1}`;
    return { id, port, url: `http://127.0.0.1:${port}`, logFile: logDir ? path.join(logDir, `${id}.log`) : null };
  });
  const spawnInstance = (spec) => {
    const piped = Boolean(spec.logFile) || output === 'ignore';
    const child = spawn(process.execPath, apiNodeArgs('src/main.ts', nodeArgs), {
      cwd: API_DIR,
      env: { ...baseEnv, PORT: String(spec.port), INSTANCE_ID: spec.id },
      stdio: ['ignore', piped ? 'pipe' : 'inherit', piped ? 'pipe' : 'inherit'],
    });
    if (spec.logFile) {
      // Appended: a restarted instance writes after the lines of the one that died.
      const out = createWriteStream(spec.logFile, { flags: 'a' });
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
      child.once('close', () => out.end());
    } else if (output === 'ignore') {
      child.stdout.resume();
      child.stderr.resume();
    }
    return child;
  };
  const supervisor = createSupervisor({ specs, spawnInstance, readyTimeoutMs, backoff: restartBackoff, log });

  let front = null;
  let stopping = false;
  const frontExitListeners = [];
  const stop = async () => {
    stopping = true;
    await front?.stop();
    front = null;
    await supervisor.stop();
    if (ephemeralRunDir) rmSync(runDir, { recursive: true, force: true });
  };

  try {
    await supervisor.start();
    const nginxInstalled = Boolean(nginxBinary());
    const useNginx = frontDoor === 'nginx' || (frontDoor === 'auto' && nginxInstalled);
    if (!useNginx && frontDoor === 'auto') {
      warn(`nginx is not installed: using the Node fallback proxy (no micro-cache, no gzip, no request shield; not what production runs). ${NGINX_INSTALL_HINT}`);
    }
    if (useNginx) {
      front = await startNginx({ frontPort, host, ports, webDist, runDir, shieldAllowList });
    } else {
      const { startNodeFrontDoor } = await import('./stack/front-door-node.mjs');
      front = await startNodeFrontDoor({ frontPort, host, ports, webDist });
    }
    front.child?.once('exit', (code, signal) => {
      if (stopping) return;
      for (const l of frontExitListeners) l({ who: 'nginx', code, signal, instancesLeft: supervisor.alive() });
    });
    const url = `http://${host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host}:${frontPort}`;
    if (!(await waitReady(`http://127.0.0.1:${frontPort}/health`, front.child ?? null, 15_000))) {
      throw new FatalError(`The ${useNginx ? 'nginx' : 'Node'} front door did not answer on port ${frontPort}.${useNginx ? `\n${tail(path.join(runDir, 'nginx-error.log'))}` : ''}`);
    }
    return {
      url,
      frontDoor: useNginx ? 'nginx' : 'node',
      frontPort,
      instances: supervisor.instances,
      logDir,
      runDir,
      exited: new Promise((resolve) => {
        void supervisor.firstExit().then(resolve);
        front?.child?.once('exit', (code, signal) => resolve({ who: 'nginx', code, signal }));
      }),
      onExit(listener) {
        supervisor.onExit((e) => !stopping && listener(e));
        frontExitListeners.push(listener);
      },
      onRestart(listener) {
        supervisor.onRestart((e) => !stopping && listener(e));
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
