import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useWaitingRoom } from './use-waiting-room';

const EVENT = '5eed0002-0000-4000-8000-000000000001';

/** A fetch that answers each call with the next scripted JSON body (and records the calls). */
function scriptFetch(answers: { status?: number; body: unknown }[]) {
  const calls: string[] = [];
  const fn = vi.fn(async (url: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    const a = answers.shift();
    if (!a)
      return new Response(JSON.stringify({ status: 'queued', position: 1, aheadOfYou: 0, pollAfterSeconds: 30 }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    const status = a.status ?? 200;
    return new Response(JSON.stringify(a.body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}

/** Let the fake clock run `ms` (0: only settle the pending fetches) and React apply the updates. */
const elapse = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('useWaitingRoom', () => {
  it('when the visitor has no place yet, then it joins, polls at pollAfterSeconds, and reports the admission', async () => {
    vi.useFakeTimers();
    const calls = scriptFetch([
      { body: { status: 'not_in_queue' } },
      { body: { status: 'queued', position: 3, aheadOfYou: 2, estimatedWaitSeconds: 20, pollAfterSeconds: 1 } },
      { body: { status: 'admitted', admittedUntil: new Date(Date.now() + 600_000).toISOString(), pollAfterSeconds: 30 } },
    ]);
    const { result } = renderHook(() => useWaitingRoom(EVENT));
    await elapse(0);
    expect(result.current.state).toMatchObject({ phase: 'queued', startPosition: 3, status: { position: 3 } });
    // Not before the second the server asked for…
    await elapse(999);
    expect(result.current.state.phase).toBe('queued');
    expect(calls).toHaveLength(2);
    // …and at it.
    await elapse(1);
    expect(result.current.state.phase).toBe('admitted');
    expect(calls).toEqual([`GET /api/v1/events/${EVENT}/queue`, `POST /api/v1/events/${EVENT}/queue`, `GET /api/v1/events/${EVENT}/queue`]);
  });

  it('when the place expires, then the state is expired and rejoin joins again', async () => {
    vi.useFakeTimers();
    scriptFetch([
      { body: { status: 'queued', position: 8, aheadOfYou: 7, pollAfterSeconds: 1 } },
      { body: { status: 'expired' } },
      { body: { status: 'not_in_queue' } },
      { body: { status: 'queued', position: 20, aheadOfYou: 19, pollAfterSeconds: 30 } },
    ]);
    const { result } = renderHook(() => useWaitingRoom(EVENT));
    await elapse(0);
    expect(result.current.state.phase).toBe('queued');
    await elapse(1000);
    expect(result.current.state.phase).toBe('expired');
    act(() => result.current.rejoin());
    await elapse(0);
    expect(result.current.state).toMatchObject({ phase: 'queued', startPosition: 20 });
  });

  it('when the event has no waiting room, then it fails for good with the server detail', async () => {
    scriptFetch([
      {
        status: 409,
        body: {
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          code: 'queue_not_enabled',
          detail: 'This event has no waiting room; go straight to the seats.',
        },
      },
    ]);
    const { result } = renderHook(() => useWaitingRoom(EVENT));
    await waitFor(() => expect(result.current.state.phase).toBe('failed'));
    expect(result.current.state).toMatchObject({ fatal: true });
    expect((result.current.state as { error: Error }).error.message).toContain('no waiting room');
  });
});
