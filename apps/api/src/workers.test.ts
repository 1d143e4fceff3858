import { describe, expect, it, vi } from 'vitest';
import type { AppDeps } from './platform/deps.js';
import { startWorkers } from './workers.js';
import type { Worker } from './platform/worker.js';

const deps = { logger: { warn: () => {} } } as unknown as Pick<AppDeps, 'logger'>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
/** Wait until `done()` holds (polling every few ms), failing after a bounded deadline. */
const until = (done: () => boolean) => vi.waitFor(() => expect(done()).toBe(true), { timeout: 5_000, interval: 5 });

describe('startWorkers', () => {
  it('when workers run, then each ticks repeatedly and never overlaps itself, and stop waits for a run in progress and ends the ticks', async () => {
    const runs = { a: 0, b: 0 };
    const inFlight = { a: 0, b: 0 };
    let overlapped = false;
    const slow = (name: 'a' | 'b'): Worker => ({
      name,
      intervalMs: 5,
      run: async () => {
        if (++inFlight[name] > 1) overlapped = true;
        runs[name]++;
        await sleep(name === 'a' ? 15 : 1);
        inFlight[name]--;
      },
    });
    const before = activeTimers();
    const stop = startWorkers(deps, [slow('a'), slow('b')]);
    await until(() => runs.a >= 2 && runs.b >= 5 && inFlight.a === 1); // stop while `a` is mid-run
    await stop();
    const inFlightAfterStop = inFlight.a + inFlight.b;
    const afterStop = { ...runs };
    await sleep(50);

    expect(runs.a).toBeGreaterThanOrEqual(2);
    expect(runs.b).toBeGreaterThanOrEqual(5);
    expect(overlapped).toBe(false);
    expect(runs).toEqual(afterStop);
    expect(activeTimers()).toBeLessThanOrEqual(before);
    expect(inFlightAfterStop).toBe(0);
  });

  it('when a run fails, then it is logged and the worker keeps ticking', async () => {
    const warned: unknown[] = [];
    let runs = 0;
    const stop = startWorkers({ logger: { warn: (o: unknown) => warned.push(o) } } as unknown as AppDeps, [
      { name: 'flaky', intervalMs: 5, run: async () => { runs++; throw new Error('boom'); } },
    ]);
    await until(() => runs >= 3 && warned.length === runs);
    await stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(warned.length).toBe(runs);
    expect(warned[0]).toMatchObject({ worker: 'flaky' });
  });

  it('when a run throws before returning a promise, then it is logged like a failed run and the worker keeps ticking', async () => {
    const warned: unknown[] = [];
    let runs = 0;
    const stop = startWorkers({ logger: { warn: (o: unknown) => warned.push(o) } } as unknown as AppDeps, [
      {
        name: 'sync-throw',
        intervalMs: 5,
        run: () => {
          runs++;
          throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
        },
      },
    ]);
    await until(() => runs >= 3 && warned.length === runs);
    await stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(warned.length).toBe(runs);
    expect(warned[0]).toMatchObject({ worker: 'sync-throw' });
  });
});
