// Ports and child processes for the local stack: free ports, readiness probes, graceful stop.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const handedOut = new Set();

function tryListen(port) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const { port: got } = srv.address();
      srv.close(() => resolve(got));
    });
  });
}

/**
 * A free TCP port on 127.0.0.1: the OS picks it, or, with STACK_PORT_RANGE=<low>-<high> set
 * (machines shared by several runs), a free one picked at random inside that range.
 */
export async function freePort() {
  const range = /^(\d+)-(\d+)$/.exec(process.env.STACK_PORT_RANGE ?? '');
  if (!range) return tryListen(0);
  const [low, high] = [Number(range[1]), Number(range[2])];
  for (let i = 0; i < 200; i++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    // Not listening yet is not free: never hand out the same port twice in one process.
    if (handedOut.has(port)) continue;
    const got = await tryListen(port).catch(() => null);
    if (got) {
      handedOut.add(got);
      return got;
    }
  }
  throw new Error(`No free port in STACK_PORT_RANGE=${process.env.STACK_PORT_RANGE}`);
}

/** True when something already listens on `port` (any interface). */
export function portInUse(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, () => srv.close(() => resolve(false)));
  });
}

/** Last `n` lines of a file, for error messages. */
export function tail(file, n = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Has this child process exited (by code or signal)? */
export const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

/** Wait until GET url answers 200, the child has exited, or `ms` passes. */
export async function waitReady(url, child, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child && hasExited(child)) return false;
    const ok = await new Promise((resolve) => {
      const req = http.get(url, { timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Send `signal`, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function terminate(child, signal = 'SIGTERM', graceMs = 20_000) {
  if (!child || hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}
