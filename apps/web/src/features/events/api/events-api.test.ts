import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchEventTimeZones } from './events-api';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const GONE = '33333333-3333-4333-8333-333333333333';

function event(id: string, timezone: string) {
  return {
    id,
    name: 'Show',
    category: 'concert',
    performer: null,
    description: null,
    venue: { id: '44444444-4444-4444-8444-444444444444', name: 'Hall', city: 'Berlin', address: null, country: null, timezone },
    startsAt: '2026-12-12T19:00:00Z',
    onSaleAt: '2026-06-01T08:00:00Z',
    status: 'upcoming',
    highDemand: false,
    currency: 'EUR',
    priceRange: { minCents: 0, maxCents: 0, currency: 'EUR' },
    maxTicketsPerUser: 8,
    availability: { available: 0, held: 0, sold: 0, total: 0 },
  };
}

describe('fetchEventTimeZones', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('when orders name events, then each event is asked once for its venue zone; one that fails is left out', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      if (url.endsWith(A)) return new Response(JSON.stringify(event(A, 'Europe/Berlin')), { status: 200, headers: { 'Content-Type': 'application/json' } });
      if (url.endsWith(B)) return new Response(JSON.stringify(event(B, 'Europe/Lisbon')), { status: 200, headers: { 'Content-Type': 'application/json' } });
      return new Response(JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, code: 'not_found' }), { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
    });
    vi.stubGlobal('fetch', fetchMock);

    const first = await fetchEventTimeZones([A, B, A, GONE]);
    const again = await fetchEventTimeZones([B, A]);

    expect(first).toEqual({ [A]: 'Europe/Berlin', [B]: 'Europe/Lisbon' });
    expect(again).toEqual({ [B]: 'Europe/Lisbon', [A]: 'Europe/Berlin' });
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([`/api/v1/events/${A}`, `/api/v1/events/${B}`, `/api/v1/events/${GONE}`]);
  });
});
