// The local multi-instance stack: N API instances behind one front door (nginx when the
// binary is installed, otherwise a small Node proxy). Used by scripts/start.mjs and by the
// web end-to-end tests, which start a stack on a throwaway database.
//
//   import { startStack } from '../../scripts/stack.mjs';
//   const stack = await startStack({ databaseUrl, redisUrl, redisKeyPrefix: 'e2e:x:', frontPort: 0, basePort: 0, migrate: true, seed: true });
//   … stack.url …
//   await stack.stop();
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { FatalError, ROOT, hasCommand, isRoot, say } from './lib/common.mjs';

const API_DIR = path.join(ROOT, 'apps/api');
/** Paths the front door sends to the API; everything else is the single-page app. */
export const API_PATH = /^\/(api(\/|$)|health$|ready$|metrics$)/;

/**
 * Node flags every API instance runs with: the same list as `API_NODE_FLAGS` in
 * apps/api/src/platform/server.ts, which says why (platform.test.ts checks they agree).
 */
export const API_NODE_FLAGS = ['--no-allocation-site-pretenuring'];

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portInUse(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, () => srv.close(() => resolve(false)));
  });
}

/** Last `n` lines of a file, for error messages. */
function tail(file, n = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no output)';
  }
}

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

/** Wait until GET url answers 200, the child has exited, or `ms` passes. */
async function waitReady(url, child, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const ok = await new Promise((resolve) => {
      const req = http.get(url, { timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Send `signal`, then SIGKILL after `graceMs`; resolves when the process has exited. */
function terminate(child, signal = 'SIGTERM', graceMs = 20_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * The nginx configuration for the local stack, derived from the repository's nginx.conf (the
 * one the Docker image uses) so both front doors route the same way: only the listen address,
 * the upstream servers, the web root, and the pid/log/temp paths change.
 */
export function localNginxConfig({ frontPort, host, ports, webDist, runDir }) {
  let conf = readFileSync(path.join(ROOT, 'nginx.conf'), 'utf8');
  const servers = ports.map((p) => `        server 127.0.0.1:${p} max_fails=3 fail_timeout=5s;`).join('\n');
  const replace = (re, by, what) => {
    if (!re.test(conf)) throw new Error(`nginx.conf: cannot find ${what} to adapt for the local stack`);
    conf = conf.replace(re, by);
  };
  replace(/# BEGIN api servers[\s\S]*?# END api servers/, `# local stack\n${servers}`, 'the "# BEGIN api servers" block');
  replace(/^\s*listen\s+80;.*$/m, `        listen ${host}:${frontPort};`, '"listen 80;"');
  replace(/^\s*root\s+\/usr\/share\/nginx\/html;.*$/m, `        root ${webDist};`, 'the web root');
  replace(/^\s*pid\s+[^;]+;.*$/m, `pid ${path.join(runDir, 'nginx.pid')};`, 'the pid directive');
  replace(/^\s*error_log\s+[^;]+;.*$/m, `error_log ${path.join(runDir, 'nginx-error.log')} warn;`, 'error_log');
  replace(/^\s*access_log\s+[^;]+;.*$/m, `    access_log ${path.join(runDir, 'nginx-access.log')} main;`, 'access_log');
  // Running as root, workers would drop to a user who may not read the work tree: keep root
  // for this loopback-only development front door. Otherwise nginx ignores `user`.
  replace(/^user\s+[^;]+;.*$/m, isRoot() ? 'user root;' : '', 'the user directive');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `    ${k}_temp_path ${path.join(runDir, `nginx-${k}-temp`)};`)
    .join('\n');
  replace(/^http\s*\{/m, `http {\n${temp}`, 'the http block');
  if (!existsSync('/etc/nginx/mime.types')) replace(/^\s*include\s+\/etc\/nginx\/mime\.types;.*$/m, '', 'the mime.types include');
  return conf;
}

async function startNginx({ frontPort, host, ports, webDist, runDir }) {
  const confFile = path.join(runDir, 'nginx.conf');
  writeFileSync(confFile, localNginxConfig({ frontPort, host, ports, webDist, runDir }));
  const test = spawnSync('nginx', ['-t', '-q', '-p', runDir, '-c', confFile, '-g', 'daemon off;'], { encoding: 'utf8' });
  if (test.status !== 0) throw new FatalError(`nginx rejected the generated ${confFile}:\n${test.stderr}`);
  const child = spawn('nginx', ['-p', runDir, '-c', confFile, '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
  return { child, stop: () => terminate(child, 'SIGQUIT', 15_000) };
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Serve a file from the built SPA, or index.html for client-side routes (history fallback). */
function serveStatic(req, res, webDist) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = path.join(webDist, path.normalize(pathname));
  let target = null;
  if (file.startsWith(webDist + path.sep) || file === webDist) {
    try {
      if (statSync(file).isFile()) target = file;
    } catch {}
  }
  // Missing build assets are 404s; any other unknown path is a client-side route (as nginx.conf).
  if (!target && pathname.startsWith('/assets/')) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  target ??= path.join(webDist, 'index.html');
  if (!existsSync(target)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The web app is not built (apps/web/dist is missing).\n');
    return;
  }
  const hashed = pathname.startsWith('/assets/');
  res.writeHead(200, {
    'content-type': MIME[path.extname(target)] ?? 'application/octet-stream',
    'content-length': statSync(target).size,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(target).pipe(res);
}

/**
 * The Node front door (used when nginx is not installed): static SPA + round-robin reverse
 * proxy to the API instances via http-proxy-3. Responses are streamed as they arrive, so
 * Server-Sent Events flow without buffering; there is no proxy read timeout for them.
 */
async function startNodeFrontDoor({ frontPort, host, ports, webDist }) {
  const { createProxyServer } = (await import('http-proxy-3')).default ?? (await import('http-proxy-3'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const proxy = createProxyServer({ xfwd: true, agent });
  const targets = ports.map((p) => ({ url: `http://127.0.0.1:${p}`, downUntil: 0 }));
  let next = 0;

  const pick = (exclude) => {
    const now = Date.now();
    for (let i = 0; i < targets.length; i++) {
      const t = targets[next++ % targets.length];
      if (t !== exclude && t.downUntil <= now) return t;
    }
    return targets.find((t) => t !== exclude) ?? targets[0];
  };

  const forward = (req, res, target, retried) => {
    proxy.web(req, res, { target: target.url }, (err) => {
      // Refused connection: the request never reached that instance, so a GET may go elsewhere.
      if (err?.code === 'ECONNREFUSED') target.downUntil = Date.now() + 5_000;
      if (!retried && err?.code === 'ECONNREFUSED' && (req.method === 'GET' || req.method === 'HEAD') && targets.length > 1) {
        forward(req, res, pick(target), true);
        return;
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: 'No API instance answered.' }));
    });
  };

  const server = http.createServer((req, res) => {
    const pathname = req.url.split('?')[0];
    if (API_PATH.test(pathname)) forward(req, res, pick(null), false);
    else serveStatic(req, res, webDist);
  });
  // Long-lived SSE responses: no request/idle timeouts on the front door itself.
  server.requestTimeout = 0;
  server.timeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(frontPort, host, resolve);
  });
  return {
    server,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
        proxy.close?.();
      }),
  };
}

/**
 * Start `instances` API processes on consecutive ports from `basePort` (0: any free ports) and
 * one front door on `frontPort` (0: any free port), all sharing `databaseUrl`, `redisUrl` and
 * `redisKeyPrefix`. Workers run in every instance (they are safe to run concurrently).
 *
 * Options: `migrate` / `seed` (default false) run the API's migrate (creates the database if
 * missing) and seed CLIs first; `frontDoor`: 'auto' (nginx if installed, else Node), 'nginx'
 * or 'node'; `env`: extra API environment (e.g. { RATE_LIMITS: 'off' }); `output`: 'inherit',
 * 'ignore' or a directory for one log file per instance (default `<runDir>`); `runDir`: where
 * logs and the generated nginx config go (default `.run/stack-<frontPort>`).
 *
 * Resolves once every instance answers /ready, with { url, frontDoor, instances, logDir, stop };
 * `stop()` sends SIGTERM (graceful shutdown) and resolves when everything has exited.
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
    // The front door reaches the instances over loopback; only it may set X-Forwarded-For.
    TRUST_PROXY: 'loopback',
    ...env,
  };
  // Never let a caller's PORT/INSTANCE_ID leak into every instance.
  delete baseEnv.PORT;
  delete baseEnv.INSTANCE_ID;

  if (migrate) say(`Migrating ${new URL(databaseUrl).pathname.slice(1)}: ${await runApiCli('src/db/migrate-cli.ts', baseEnv)}`);
  if (seed) say(`Seeding: ${(await runApiCli('src/db/seed-cli.ts', baseEnv)) || 'done'}`);

  const procs = [];
  let front = null;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await front?.stop();
    front = null;
    await Promise.all(procs.map((p) => terminate(p.child)));
    if (ephemeralRunDir) rmSync(runDir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < instances; i++) {
      const id = `api-${i + 1}`;
      const logFile = logDir ? path.join(logDir, `${id}.log`) : null;
      const child = spawn(process.execPath, [...API_NODE_FLAGS, ...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
        cwd: API_DIR,
        env: { ...baseEnv, PORT: String(ports[i]), INSTANCE_ID: id },
        stdio: ['ignore', logFile || output === 'ignore' ? 'pipe' : 'inherit', logFile || output === 'ignore' ? 'pipe' : 'inherit'],
      });
      if (logFile) {
        const out = createWriteStream(logFile, { flags: 'a' });
        child.stdout.pipe(out);
        child.stderr.pipe(out);
      } else if (output === 'ignore') {
        child.stdout.resume();
        child.stderr.resume();
      }
      procs.push({ id, port: ports[i], url: `http://127.0.0.1:${ports[i]}`, child, logFile });
    }
    await Promise.all(
      procs.map(async (p) => {
        if (!(await waitReady(`${p.url}/ready`, p.child, readyTimeoutMs))) {
          const why = p.child.exitCode !== null ? `exited with code ${p.child.exitCode}` : `did not answer /ready within ${readyTimeoutMs / 1000}s`;
          throw new FatalError(`API instance ${p.id} (port ${p.port}) ${why}.${p.logFile ? `\n--- ${p.logFile} (last lines) ---\n${tail(p.logFile)}` : ''}`);
        }
      }),
    );

    const useNginx = frontDoor === 'nginx' || (frontDoor === 'auto' && hasCommand('nginx'));
    front = useNginx
      ? await startNginx({ frontPort, host, ports, webDist, runDir })
      : await startNodeFrontDoor({ frontPort, host, ports, webDist });
    const url = `http://${host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host}:${frontPort}`;
    if (!(await waitReady(`http://127.0.0.1:${frontPort}/health`, front.child ?? { exitCode: null, signalCode: null }, 15_000))) {
      throw new FatalError(`The ${useNginx ? 'nginx' : 'Node'} front door did not answer on port ${frontPort}.${useNginx ? `\n${tail(path.join(runDir, 'nginx-error.log'))}` : ''}`);
    }
    return {
      url,
      frontDoor: useNginx ? 'nginx' : 'node',
      frontPort,
      instances: procs.map(({ id, port, url: u, child, logFile }) => ({ id, port, url: u, pid: child.pid, logFile })),
      logDir,
      /** Resolves when the first instance or nginx exits (a crash, a kill, or stop()). */
      exited: new Promise((resolve) => {
        for (const p of procs) p.child.once('exit', (code, signal) => resolve({ who: p.id, code, signal }));
        front?.child?.once('exit', (code, signal) => resolve({ who: 'nginx', code, signal }));
      }),
      /**
       * Call `listener({ who, code, signal, instancesLeft })` whenever an instance or nginx exits
       * while the stack is not being stopped. The front door keeps serving with the instances left.
       */
      onExit(listener) {
        const alive = () => procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null).length;
        for (const p of procs) p.child.once('exit', (code, signal) => !stopping && listener({ who: p.id, code, signal, instancesLeft: alive() }));
        front?.child?.once('exit', (code, signal) => !stopping && listener({ who: 'nginx', code, signal, instancesLeft: alive() }));
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
