// Keeps the stack's API instances running: starts them, waits for /ready, and restarts one that
// exits on its own (crash, OOM, SIGKILL) with exponential back-off while the others keep serving.
// The front door skips the dead instance in the meantime (nginx.conf: proxy_next_upstream).
import { FatalError } from '../lib/common.mjs';
import { hasExited, tail, terminate, waitReady } from './processes.mjs';

/** Back-off defaults: the first restart is quick; a crash loop waits up to `maxMs` between tries. */
export const DEFAULT_BACKOFF = Object.freeze({ initialMs: 250, maxMs: 30_000, stableMs: 30_000 });

/**
 * Supervise one process per `spec` ({ id, port, url, logFile }).
 *
 * `spawnInstance(spec)` starts the process and returns its ChildProcess; `readyTimeoutMs` bounds
 * each wait for `<url>/ready`; `backoff` ({ initialMs, maxMs, stableMs }): the n-th consecutive
 * restart waits min(maxMs, initialMs·2^(n-1)); an instance that stayed up `stableMs` starts
 * again from `initialMs`. `log(line)` receives one line per exit and per restart.
 */
export function createSupervisor({ specs, spawnInstance, readyTimeoutMs, backoff = {}, log }) {
  const policy = { ...DEFAULT_BACKOFF, ...backoff };
  const exitListeners = [];
  const restartListeners = [];
  let stopping = false;

  /** Live view handed to callers: `pid` changes when an instance is restarted. */
  const instances = specs.map((s) => ({ id: s.id, port: s.port, url: s.url, pid: 0, logFile: s.logFile ?? null, restarts: 0 }));
  const states = specs.map((spec, i) => ({ spec, view: instances[i], child: null, readyAt: 0, failures: 0, timer: null, diedAt: 0 }));

  const alive = () => states.filter((s) => s.child && !hasExited(s.child)).length;

  function launch(state) {
    const child = spawnInstance(state.spec);
    state.child = child;
    state.readyAt = 0;
    state.view.pid = child.pid;
    child.once('exit', (code, signal) => onChildExit(state, child, code, signal));
    return child;
  }

  function onChildExit(state, child, code, signal) {
    if (stopping || state.child !== child) return;
    const event = { who: state.spec.id, code, signal, instancesLeft: alive() };
    for (const l of exitListeners) l(event);
    // A process that served for a while starts the back-off again; a crash loop backs off further.
    if (state.readyAt && Date.now() - state.readyAt >= policy.stableMs) state.failures = 0;
    const delay = Math.min(policy.maxMs, policy.initialMs * 2 ** state.failures);
    state.failures++;
    state.diedAt ||= Date.now();
    log(
      `${state.spec.id} (pid ${child.pid}) exited (${signal ?? `code ${code}`}); ${event.instancesLeft} instance(s) still serving; ` +
        `restarting it in ${(delay / 1000).toFixed(2)} s (attempt ${state.failures}).`,
    );
    state.timer = setTimeout(() => void restart(state), delay);
  }

  async function restart(state) {
    state.timer = null;
    if (stopping) return;
    const child = launch(state);
    const ready = await waitReady(`${state.spec.url}/ready`, child, readyTimeoutMs);
    if (stopping || state.child !== child) return;
    if (!ready) {
      // Not ready in time: kill it; its exit schedules the next attempt with a longer back-off.
      if (!hasExited(child)) await terminate(child, 'SIGKILL', 0);
      return;
    }
    state.readyAt = Date.now();
    state.view.restarts++;
    const downMs = state.readyAt - state.diedAt;
    state.diedAt = 0;
    log(`${state.spec.id} is back on port ${state.spec.port} (pid ${child.pid}, restart ${state.view.restarts}, down ${(downMs / 1000).toFixed(1)} s).`);
    const event = { who: state.spec.id, port: state.spec.port, pid: child.pid, restarts: state.view.restarts, downMs };
    for (const l of restartListeners) l(event);
  }

  return {
    instances,
    alive,
    /** Start every instance and wait for each to answer /ready; throws a FatalError naming the first that does not. */
    async start() {
      for (const s of states) launch(s);
      await Promise.all(
        states.map(async (s) => {
          const child = s.child;
          if (!(await waitReady(`${s.spec.url}/ready`, child, readyTimeoutMs))) {
            const why = hasExited(child) ? `exited with ${child.signalCode ?? `code ${child.exitCode}`}` : `did not answer /ready within ${readyTimeoutMs / 1000}s`;
            throw new FatalError(`API instance ${s.spec.id} (port ${s.spec.port}) ${why}.${s.spec.logFile ? `\n--- ${s.spec.logFile} (last lines) ---\n${tail(s.spec.logFile)}` : ''}`);
          }
          s.readyAt = Date.now();
        }),
      );
    },
    /** `listener({ who, code, signal, instancesLeft })` for each exit that stop() did not cause. */
    onExit(listener) {
      exitListeners.push(listener);
    },
    /** `listener({ who, port, pid, restarts, downMs })` each time a restarted instance answers /ready. */
    onRestart(listener) {
      restartListeners.push(listener);
    },
    /** Resolves with the first exit of an instance (a crash, a kill, or stop()). */
    firstExit() {
      return new Promise((resolve) => {
        for (const s of states) s.child?.once('exit', (code, signal) => resolve({ who: s.spec.id, code, signal }));
      });
    },
    /** No more restarts; SIGTERM every instance (graceful shutdown), SIGKILL after 20 s. */
    async stop() {
      stopping = true;
      for (const s of states) clearTimeout(s.timer);
      await Promise.all(states.map((s) => terminate(s.child)));
    },
  };
}
