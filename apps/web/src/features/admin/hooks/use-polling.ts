import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';

/** The state of a polled read. */
export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  /** When the last successful answer arrived (ms since epoch). */
  updatedAt: number | null;
  refresh: () => void;
}

/**
 * Call `load` now and every `intervalMs` while the tab is visible; a hidden tab stops polling and
 * refreshes at once when it becomes visible again. Never overlaps itself; aborts on unmount.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number, initial?: T): Polled<T> {
  const [data, setData] = useState<T | undefined>(initial);
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(() => (initial === undefined ? null : Date.now()));
  // Whether to load at once is decided on mount; a later `initial` does not restart polling.
  const [loadFirst] = useState(initial === undefined);
  // The latest `load`, without restarting the polling loop when the caller passes a new closure.
  const loadLatest = useEffectEvent((signal: AbortSignal) => load(signal));
  const tick = useRef<() => void>(() => {});

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    const schedule = () => {
      clearTimeout(timer);
      if (!document.hidden && !ctrl.signal.aborted) timer = setTimeout(run, intervalMs);
    };
    async function run() {
      if (running || ctrl.signal.aborted) return;
      running = true;
      try {
        const next = await loadLatest(ctrl.signal);
        if (ctrl.signal.aborted) return;
        setData(next);
        setError(null);
        setUpdatedAt(Date.now());
      } catch (e) {
        if (!ctrl.signal.aborted) setError(e);
      } finally {
        running = false;
        schedule();
      }
    }
    tick.current = () => void run();
    const onVisibility = () => {
      if (document.hidden) clearTimeout(timer);
      else void run();
    };
    document.addEventListener('visibilitychange', onVisibility);
    if (loadFirst) void run();
    else schedule();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs, loadFirst]);

  const refresh = useCallback(() => tick.current(), []);
  return { data, error, updatedAt, refresh };
}
