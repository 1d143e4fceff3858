import { VenueInput, type Venue } from '@ticketing/shared';
import { describe, expect, it } from 'vitest';
import { SEAT_PITCH, blockRows, emptyDraft, fromVenue, generateSeats, newSection, previewSeats, priceToCents, rowLabel, toVenueInput } from './venue-layout';

describe('venue layout editor model', () => {
  it('when rows are labelled past Z, then labels continue AA, AB…', () => {
    expect([0, 1, 25, 26, 27].map(rowLabel)).toEqual(['A', 'B', 'Z', 'AA', 'AB']);
  });

  it('when a 3 × 4 block is generated, then seats sit on a grid from the section corner, numbered from 1', () => {
    const s = { ...newSection([]), x: 100, y: 50, rows: blockRows(3, 4) };
    const rows = generateSeats(s);
    expect(rows).toHaveLength(3);
    expect(rows[0]!.map((p) => p.number)).toEqual(['1', '2', '3', '4']);
    expect(rows[2]![3]).toEqual({ number: '4', x: 100 + 3 * SEAT_PITCH, y: 50 + 2 * SEAT_PITCH });
  });

  it('when rows are curved, then the ends stay on the row line and the middle sags, never above the section top', () => {
    const s = { ...newSection([]), curved: true, rows: blockRows(1, 9) };
    const [row] = generateSeats(s);
    expect(row![0]!.y).toBe(0);
    expect(row![8]!.y).toBe(0);
    expect(row![4]!.y).toBeGreaterThan(0);
    expect(Math.min(...row!.map((p) => p.y))).toBeGreaterThanOrEqual(0);
  });

  it('when the draft is complete, then it passes the shared VenueInput schema with prices in cents', () => {
    const d = { ...emptyDraft(), name: 'Hall', city: 'Berlin' };
    d.sections[0]!.price = '45.50';
    const parsed = VenueInput.safeParse(toVenueInput(d));
    expect(parsed.success).toBe(true);
    expect(parsed.data!.sections[0]!.priceCents).toBe(4550);
    expect(parsed.data!.sections[0]!.rows).toHaveLength(5);
  });

  it('when a price is not a price, then it becomes NaN and the schema rejects it', () => {
    expect(priceToCents('12,5')).toBe(1250);
    expect(priceToCents('abc')).toBeNaN();
    const d = { ...emptyDraft(), name: 'Hall', city: 'Berlin' };
    d.sections[0]!.price = 'free';
    expect(VenueInput.safeParse(toVenueInput(d)).success).toBe(false);
  });

  it('when an existing venue is loaded, then its seat positions are kept as they were', () => {
    const venue: Venue = {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'Club',
      city: 'Dublin',
      address: null,
      country: null,
      timezone: 'Europe/Dublin',
      totalSeats: 2,
      sections: [{ id: '00000000-0000-4000-8000-000000000002', name: 'Floor', priceTier: 1, priceCents: 2000, rows: [{ label: 'A', seats: [{ number: '1', x: 13.5, y: 7 }, { number: '2', x: 31, y: 9 }] }] }],
    };
    const d = fromVenue(venue);
    expect(d.sections[0]!.price).toBe('20');
    expect(previewSeats(d)).toEqual([{ x: 13.5, y: 7, tier: 1 }, { x: 31, y: 9, tier: 1 }]);
    const body = VenueInput.parse(toVenueInput(d));
    expect(body.sections[0]!.rows[0]!.seats).toEqual([{ number: '1', x: 13.5, y: 7 }, { number: '2', x: 31, y: 9 }]);
  });
});
