import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { api, isProblem, ProblemError } from './api-client';
import { clockSkewMs, resetServerClock } from './server-clock';
import { formatMoney, formatPriceRange } from './format';

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(async () => new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } }));
}

describe('api client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetServerClock();
  });

  it('when the API answers problem+json, then a ProblemError carries its fields', async () => {
    vi.stubGlobal(
      'fetch',
      respond(409, { type: 'about:blank', title: 'Seats unavailable', status: 409, code: 'seats_unavailable', detail: 'Seat A-1 is taken.', unavailableSeatIds: ['00000000-0000-4000-8000-000000000001'] }, { 'Content-Type': 'application/problem+json' }),
    );
    const err = await api('/events/x/holds', { method: 'POST', body: { seatIds: [] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect(isProblem(err, 'seats_unavailable')).toBe(true);
    expect((err as ProblemError).unavailableSeatIds).toEqual(['00000000-0000-4000-8000-000000000001']);
    expect((err as ProblemError).userMessage).toBe('Seat A-1 is taken.');
  });

  it('when the request is sent, then it is same-origin JSON under /api/v1 with the query string', async () => {
    const fetchMock = respond(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    await api('/events', { query: { q: 'jazz', page: 2, city: '' } });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/events?q=jazz&page=2');
    expect(init.credentials).toBe('same-origin');
  });

  it('when the network fails, then a ProblemError with status 0 and code network_error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const err = await api('/events').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('when the answer does not match the shared schema, then invalid_response', async () => {
    vi.stubGlobal('fetch', respond(200, { id: 42 }));
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const err = await api('/x', { schema: z.object({ id: z.string() }) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_response' });
    log.mockRestore();
  });

  it('when a 503 has no problem body, then the error still has a readable title and Retry-After', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('Bad gateway', { status: 503, headers: { 'Retry-After': '3' } })));
    const err = (await api('/checkout', { method: 'POST' }).catch((e: unknown) => e)) as ProblemError;
    expect(err.status).toBe(503);
    expect(err.retryAfterSeconds).toBe(3);
    expect(err.userMessage).toMatch(/unavailable/);
  });

  it('when responses carry a Date header far from the local clock, then the skew estimate follows it', async () => {
    const serverDate = new Date(Date.now() + 5 * 60_000).toUTCString();
    vi.stubGlobal('fetch', respond(200, {}, { Date: serverDate }));
    await api('/a');
    await api('/b');
    expect(clockSkewMs()).toBeGreaterThan(4 * 60_000);
    expect(clockSkewMs()).toBeLessThan(6 * 60_000);
  });
});

describe('format', () => {
  it('when formatting cents, then the currency minor unit is respected', () => {
    expect(formatMoney(4550, 'EUR', 'en')).toBe('€45.50');
    expect(formatMoney(4500, 'EUR', 'en')).toBe('€45');
    expect(formatMoney(4500, 'JPY', 'en')).toBe('¥4,500');
    expect(formatPriceRange(2500, 4500, 'EUR', 'en')).toBe('€25 – €45');
  });
});
