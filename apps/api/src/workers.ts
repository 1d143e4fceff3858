import type { AppDeps } from './platform/deps.js';
import type { Worker } from './platform/worker.js';

/**
 * The scheduler: run each worker (the modules' `workers`, collected by createApp) on a jittered
 * interval, never overlapping itself. Returns a stop function that waits for runs in progress.
 */
export function startWorkers(deps: Pick<AppDeps, 'logger'>, workers: Worker[]): () => Promise<void> {
  let stopped = false;
  // One pending timer per worker, replaced at every tick (an array that every tick appended to
  // kept every fired timer and its closure for the life of the process: ~170,000 a day).
  const timers: (NodeJS.Timeout | undefined)[] = workers.map(() => undefined);
  const running = new Set<Promise<unknown>>();
  workers.forEach((w, i) => {
    const tick = async () => {
      timers[i] = undefined;
      if (stopped) return;
      // A failed run (PostgreSQL or Redis away, a bug) is logged and the next tick tries again; a
      // run that throws before returning its promise is caught the same way (never a process exit).
      const p = Promise.resolve()
        .then(() => w.run())
        .catch((err) => deps.logger.warn({ err, worker: w.name }, 'worker run failed'));
      running.add(p);
      await p;
      running.delete(p);
      if (!stopped) timers[i] = setTimeout(tick, w.intervalMs * (0.8 + Math.random() * 0.4));
    };
    timers[i] = setTimeout(tick, Math.random() * w.intervalMs);
  });
  return async () => {
    stopped = true;
    timers.forEach((t) => t && clearTimeout(t));
    await Promise.allSettled([...running]);
  };
}
