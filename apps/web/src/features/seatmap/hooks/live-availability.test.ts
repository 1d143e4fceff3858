import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveAvailability } from './live-availability';
import { STATUS } from '../lib/availability';

const EVENT = '11111111-1111-4111-8111-111111111111';

/** A controllable stand-in for the browser's EventSource. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, (ev: { data: string }) => void>();
  constructor(public url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (ev: { data: string }) => void) {
    this.listeners.set(type, fn);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  send(payload: unknown) {
    this.listeners.get('availability')?.({ data: JSON.stringify(payload) });
  }
  fail() {
    this.onerror?.();
  }
}

/** fetch stub answering GET availability with the given statuses/version, or 304 on a matching ETag. */
function availabilityServer(state: { statuses: string; version: number }) {
  return vi.fn(async (_url: string, init?: RequestInit) => {
    const inm = (init?.headers as Record<string, string> | undefined)?.['If-None-Match'];
    const etag = `W/"av-${state.version}"`;
    if (inm === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
    const counts = {
      available: [...state.statuses].filter((c) => c === 'a').length,
      held: [...state.statuses].filter((c) => c === 'h').length,
      sold: [...state.statuses].filter((c) => c === 's').length,
    };
    return new Response(JSON.stringify({ eventId: EVENT, version: state.version, statuses: state.statuses, counts }), {
      status: 200,
      headers: { ETag: etag, 'Content-Type': 'application/json' },
    });
  });
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('LiveAvailability', () => {
  beforeEach(() => {
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('when the next version arrives on the stream, then it is applied and seats taken are reported', async () => {
    const server = { statuses: 'aaaa', version: 5 };
    vi.stubGlobal('fetch', availabilityServer(server));
    const live = new LiveAvailability(EVENT, { eventId: EVENT, version: 5, statuses: 'aaaa', counts: { available: 4, held: 0, sold: 0 } }, 4);
    const taken: number[][] = [];
    live.onTaken((i) => taken.push(i));
    live.start();
    FakeEventSource.last!.open();
    await flush();
    expect(live.getSnapshot().mode).toBe('live');

    FakeEventSource.last!.send({ version: 6, changes: [[2, 'h']] });
    expect(live.getSnapshot().version).toBe(6);
    expect(live.getSnapshot().statuses[2]).toBe(STATUS.held);
    expect(live.getSnapshot().counts).toEqual({ available: 3, held: 1, sold: 0 });
    expect(taken).toEqual([[2]]);
    live.stop();
  });

  it('when a version gap appears, then the snapshot is refetched with If-None-Match and the differences reported', async () => {
    const server = { statuses: 'aaaa', version: 5 };
    const fetchMock = availabilityServer(server);
    vi.stubGlobal('fetch', fetchMock);
    const live = new LiveAvailability(EVENT, { eventId: EVENT, version: 5, statuses: 'aaaa', counts: { available: 4, held: 0, sold: 0 } }, 4);
    const taken: number[][] = [];
    live.onTaken((i) => taken.push(i));
    live.start();
    FakeEventSource.last!.open();
    await flush();
    fetchMock.mockClear();

    Object.assign(server, { statuses: 'asah', version: 8 });
    FakeEventSource.last!.send({ version: 8, changes: [[3, 'h']] });
    await flush();
    await flush();

    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect((fetchMock.mock.calls[0]![1]!.headers as Record<string, string>)['If-None-Match']).toBe('W/"av-5"');
    expect(live.getSnapshot().version).toBe(8);
    expect(Array.from(live.getSnapshot().statuses)).toEqual([STATUS.available, STATUS.sold, STATUS.available, STATUS.held]);
    expect(taken).toEqual([[1, 3]]);
    live.stop();
  });

  it('when a refetch answers an older (micro-cached) snapshot after a gap, then it is ignored and fetched again until it catches up', async () => {
    vi.useFakeTimers();
    const server = { statuses: 'aaaa', version: 5 };
    const fetchMock = availabilityServer(server);
    vi.stubGlobal('fetch', fetchMock);
    const live = new LiveAvailability(EVENT, { eventId: EVENT, version: 5, statuses: 'aaaa', counts: { available: 4, held: 0, sold: 0 } }, 4);
    live.start();
    FakeEventSource.last!.open();
    await vi.advanceTimersByTimeAsync(0);
    FakeEventSource.last!.send({ version: 6, changes: [[0, 'h']] });
    // The front door still serves version 5; the stream then skips to 8 (a gap).
    FakeEventSource.last!.send({ version: 8, changes: [[3, 'h']] });
    await vi.advanceTimersByTimeAsync(0);
    const afterStale = { version: live.getSnapshot().version, statuses: Array.from(live.getSnapshot().statuses) };

    Object.assign(server, { statuses: 'hash', version: 8 });
    await vi.advanceTimersByTimeAsync(1200);

    expect(afterStale).toEqual({ version: 6, statuses: [STATUS.held, STATUS.available, STATUS.available, STATUS.available] });
    expect(live.getSnapshot().version).toBe(8);
    expect(Array.from(live.getSnapshot().statuses)).toEqual([STATUS.held, STATUS.available, STATUS.sold, STATUS.held]);
    live.stop();
  });

  it('when the stream keeps failing, then it falls back to polling the snapshot', async () => {
    vi.useFakeTimers();
    const server = { statuses: 'aa', version: 1 };
    const fetchMock = availabilityServer(server);
    vi.stubGlobal('fetch', fetchMock);
    const live = new LiveAvailability(EVENT, { eventId: EVENT, version: 1, statuses: 'aa', counts: { available: 2, held: 0, sold: 0 } }, 2);
    live.start();
    const es = FakeEventSource.last!;
    es.fail();
    es.fail();
    es.fail();
    expect(es.readyState).toBe(FakeEventSource.CLOSED);
    expect(live.getSnapshot().mode).toBe('polling');

    Object.assign(server, { statuses: 'sa', version: 2 });
    await vi.advanceTimersByTimeAsync(4100);
    expect(live.getSnapshot().statuses[0]).toBe(STATUS.sold);
    live.stop();
  });

  it('when EventSource does not exist, then it polls from the start', async () => {
    vi.stubGlobal('EventSource', undefined);
    vi.stubGlobal('fetch', availabilityServer({ statuses: 'a', version: 1 }));
    const live = new LiveAvailability(EVENT, { eventId: EVENT, version: 1, statuses: 'a', counts: { available: 1, held: 0, sold: 0 } }, 1);
    live.start();
    expect(live.getSnapshot().mode).toBe('polling');
    live.stop();
  });
});
