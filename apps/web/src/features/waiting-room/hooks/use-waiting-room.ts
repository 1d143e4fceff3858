import type { QueueStatus } from '@ticketing/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isProblem, ProblemError } from '../../../lib/api-client';
import { fetchQueueStatus, joinQueue } from '../api/queue-api';
import { forgetStartPosition, rememberStartPosition } from '../lib/progress';

/** What the waiting-room page shows. */
export type WaitingRoomState =
  | { phase: 'joining' }
  | { phase: 'queued'; status: QueueStatus; startPosition: number; retrying: string | null }
  | { phase: 'admitted'; status: QueueStatus }
  | { phase: 'expired' }
  | { phase: 'failed'; error: ProblemError | Error; fatal: boolean };

/** Errors that polling again cannot fix. */
const FATAL = ['queue_not_enabled', 'event_cancelled', 'event_not_on_sale', 'not_found', 'unauthenticated', 'forbidden', 'validation_failed'] as const;

/**
 * Join the event's waiting room (or pick up the place this session already holds, e.g. after a
 * reload) and poll at the server's `pollAfterSeconds`. Transient failures are retried with
 * back-off while the last known place stays on screen.
 */
export function useWaitingRoom(eventId: string): { state: WaitingRoomState; rejoin: () => void } {
  const [state, setState] = useState<WaitingRoomState>({ phase: 'joining' });
  const [attempt, setAttempt] = useState(0);
  const lastQueued = useRef<Extract<WaitingRoomState, { phase: 'queued' }> | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    const apply = (s: QueueStatus): number | null => {
      if (s.status === 'admitted') {
        forgetStartPosition(eventId);
        setState({ phase: 'admitted', status: s });
        return null;
      }
      if (s.status === 'expired') {
        forgetStartPosition(eventId);
        setState({ phase: 'expired' });
        return null;
      }
      if (s.status === 'queued') {
        const position = s.position ?? 1;
        const next = { phase: 'queued' as const, status: s, startPosition: rememberStartPosition(eventId, position), retrying: null };
        lastQueued.current = next;
        setState(next);
      }
      return Math.max(1, s.pollAfterSeconds ?? 3);
    };

    async function step(first: boolean) {
      try {
        let s = await fetchQueueStatus(eventId, ctrl.signal);
        // Not in the queue yet (first visit) → join. A reload finds the place the server kept.
        if (s.status === 'not_in_queue' && first) s = await joinQueue(eventId, ctrl.signal);
        failures = 0;
        const wait = apply(s);
        if (wait !== null && s.status !== 'not_in_queue') timer = setTimeout(() => void step(false), wait * 1000);
        else if (s.status === 'not_in_queue') setState({ phase: 'expired' });
      } catch (e) {
        if (ctrl.signal.aborted) return;
        const err = e instanceof Error ? e : new Error(String(e));
        if (isProblem(err, ...FATAL)) {
          setState({ phase: 'failed', error: err, fatal: true });
          return;
        }
        failures++;
        const retryIn = Math.min(30, (err instanceof ProblemError && err.retryAfterSeconds) || 2 ** Math.min(failures, 4));
        const message = err instanceof ProblemError ? err.userMessage : err.message;
        if (lastQueued.current) setState({ ...lastQueued.current, retrying: `${message} Retrying in ${retryIn} s — your place is kept.` });
        else if (failures >= 4) {
          setState({ phase: 'failed', error: err, fatal: false });
          return;
        }
        timer = setTimeout(() => void step(!lastQueued.current), retryIn * 1000);
      }
    }

    void step(true);
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [eventId, attempt]);

  const rejoin = useCallback(() => {
    lastQueued.current = null;
    setState({ phase: 'joining' });
    setAttempt((a) => a + 1);
  }, []);

  return { state, rejoin };
}
