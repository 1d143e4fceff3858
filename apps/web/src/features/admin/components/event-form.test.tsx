import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Event, EventInput, VenueSummary } from '@ticketing/shared';
import { describe, expect, it, vi } from 'vitest';
import { EventForm } from './event-form';

const BERLIN_VENUE: VenueSummary = { id: '11111111-1111-4111-8111-111111111111', name: 'Northgate Stadium', city: 'Berlin', address: null, country: 'DE', timezone: 'Europe/Berlin', totalSeats: 100 };
const NY_VENUE: VenueSummary = { id: '22222222-2222-4222-8222-222222222222', name: 'Hall', city: 'New York', address: null, country: 'US', timezone: 'America/New_York', totalSeats: 50 };

const EVENT: Event = {
  id: '33333333-3333-4333-8333-333333333333',
  name: 'Winter Show',
  category: 'concert',
  performer: null,
  description: null,
  venue: { id: BERLIN_VENUE.id, name: BERLIN_VENUE.name, city: 'Berlin', address: null, country: 'DE', timezone: 'Europe/Berlin' },
  startsAt: '2026-12-12T19:00:00.000Z',
  onSaleAt: '2026-06-01T08:00:00.000Z',
  status: 'upcoming',
  highDemand: false,
  currency: 'EUR',
  priceRange: { minCents: 1000, maxCents: 1000, currency: 'EUR' },
  maxTicketsPerUser: 8,
  availability: { available: 100, held: 0, sold: 0, total: 100 },
};

function renderForm(event: Event | null) {
  const onSubmit = vi.fn(async (_body: EventInput) => {});
  render(<EventForm event={event} venues={[BERLIN_VENUE, NY_VENUE]} queue={null} onSubmit={onSubmit} onCancel={() => {}} />);
  return onSubmit;
}

const value = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).value;

describe('<EventForm> dates on the venue clock', () => {
  it('when an event is edited, then its times show on the venue clock with the zone named, and are sent back unchanged', async () => {
    const onSubmit = renderForm(EVENT);

    expect(value('Starts at')).toBe('2026-12-12T20:00');
    expect(value('On sale from')).toBe('2026-06-01T10:00');
    expect(screen.getAllByText(/Venue time: Europe\/Berlin/)).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ startsAt: '2026-12-12T19:00:00.000Z', onSaleAt: '2026-06-01T08:00:00.000Z' });
  });

  it('when times are typed for a new event, then they are read on the chosen venue clock', async () => {
    const onSubmit = renderForm(null);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'New York Night' } });
    fireEvent.change(screen.getByLabelText('Venue'), { target: { value: NY_VENUE.id } });
    fireEvent.change(screen.getByLabelText('Starts at'), { target: { value: '2026-07-01T20:00' } });
    fireEvent.change(screen.getByLabelText('On sale from'), { target: { value: '2026-03-08T10:00' } });

    expect(screen.getAllByText(/Venue time: America\/New_York/)).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Create event' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    // 20:00 EDT (UTC−4) and 10:00 on the day New York moved to summer time (already UTC−4 at 10:00).
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ venueId: NY_VENUE.id, startsAt: '2026-07-02T00:00:00.000Z', onSaleAt: '2026-03-08T14:00:00.000Z' });
  });
});
