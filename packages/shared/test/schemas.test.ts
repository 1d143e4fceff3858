import { describe, expect, it } from 'vitest';
import { CheckoutInput, EventInput, EventListQuery, HoldInput, IdempotencyKey, RegisterInput, VenueInput, isIanaTimeZone } from '../src/index.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('shared schemas', () => {
  it('when a hold names 1..6 distinct seats, then it parses; 7 seats or a repeated id are refused', () => {
    expect(HoldInput.safeParse({ seatIds: [uuid(1), uuid(2)] }).success).toBe(true);
    expect(HoldInput.safeParse({ seatIds: Array.from({ length: 7 }, (_, i) => uuid(i)) }).success).toBe(false);
    expect(HoldInput.safeParse({ seatIds: [uuid(1), uuid(1)] }).success).toBe(false);
    expect(HoldInput.safeParse({ seatIds: ['not-a-uuid'] }).success).toBe(false);
  });

  it('when best available is asked, then quantity 1..6 with optional section and price parses', () => {
    expect(HoldInput.safeParse({ quantity: 4, sectionId: uuid(3), maxPriceCents: 9000 }).success).toBe(true);
    expect(HoldInput.safeParse({ quantity: 0 }).success).toBe(false);
    expect(HoldInput.safeParse({ quantity: 7 }).success).toBe(false);
    expect(HoldInput.safeParse({ quantity: 2, seatIds: [uuid(1)] }).success).toBe(false);
  });

  it('when registering, then the e-mail is trimmed and lower-cased and weak passwords are refused', () => {
    const ok = RegisterInput.parse({ email: '  Ada@Example.COM ', password: 'long-enough-1', name: ' Ada ' });
    expect(ok).toEqual({ email: 'ada@example.com', password: 'long-enough-1', name: 'Ada' });
    expect(RegisterInput.safeParse({ email: 'ada@example.com', password: 'short1', name: 'A' }).success).toBe(false);
    expect(RegisterInput.safeParse({ email: 'ada@example.com', password: 'no-digits-here', name: 'A' }).success).toBe(false);
    expect(RegisterInput.safeParse({ email: 'nope', password: 'long-enough-1', name: 'A' }).success).toBe(false);
  });

  it('when a card number has spaces, then checkout normalises it; bad cvc or month is refused', () => {
    const base = { holdId: uuid(9), payment: { cardNumber: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123', name: 'A' } };
    expect(CheckoutInput.parse(base).payment.cardNumber).toBe('4242424242424242');
    expect(CheckoutInput.safeParse({ ...base, payment: { ...base.payment, cvc: '12' } }).success).toBe(false);
    expect(CheckoutInput.safeParse({ ...base, payment: { ...base.payment, expMonth: 13 } }).success).toBe(false);
  });

  it('when an idempotency key is too short or has spaces, then it is refused', () => {
    expect(IdempotencyKey.safeParse('3f1c2a9e-1111-4222-8333-444455556666').success).toBe(true);
    expect(IdempotencyKey.safeParse('short').success).toBe(false);
    expect(IdempotencyKey.safeParse('has a space in it').success).toBe(false);
  });

  it('when an event goes on sale after it starts, then it is refused', () => {
    const e = { name: 'X', category: 'concert', venueId: uuid(1), startsAt: '2030-01-01T20:00:00Z', onSaleAt: '2030-01-02T10:00:00Z' };
    expect(EventInput.safeParse(e).success).toBe(false);
    expect(EventInput.safeParse({ ...e, onSaleAt: '2029-12-01T10:00:00Z' }).success).toBe(true);
  });

  it('when a venue repeats a section, row or seat, then each repeat is reported', () => {
    const row = { label: 'A', seats: [{ number: 1, x: 0, y: 0 }, { number: 1, x: 10, y: 0 }] };
    const r = VenueInput.safeParse({ name: 'V', city: 'C', sections: [{ name: 'S', priceTier: 1, priceCents: 100, rows: [row, row] }, { name: 'S', priceTier: 1, priceCents: 100, rows: [{ label: 'A', seats: [{ number: 1, x: 0, y: 0 }] }] }] });
    expect(r.success).toBe(false);
    const messages = r.success ? [] : r.error.issues.map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining(['section names must be unique', 'row labels must be unique in a section', 'seat numbers must be unique in a row']));
  });

  it('when a venue names its time zone, then a real IANA zone parses and anything else is refused on timezone', () => {
    const venue = (timezone?: string) => ({ name: 'V', city: 'C', timezone, sections: [{ name: 'S', priceTier: 1, priceCents: 100, rows: [{ label: 'A', seats: [{ number: 1, x: 0, y: 0 }] }] }] });
    for (const tz of ['Europe/Lisbon', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+1', ' Europe/Dublin ']) expect(VenueInput.safeParse(venue(tz)).success, tz).toBe(true);
    expect(VenueInput.parse(venue(' Europe/Dublin ')).timezone).toBe('Europe/Dublin');
    expect(VenueInput.parse(venue()).timezone).toBeUndefined();
    for (const tz of ['Mars/Olympus_Mons', 'Europe/Lisboa', '+01:00', '', 'Europe/../UTC']) {
      const r = VenueInput.safeParse(venue(tz));
      expect(r.success, tz).toBe(false);
      expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.')), tz).toEqual(['timezone']);
    }
    expect(isIanaTimeZone('Asia/Kolkata')).toBe(true);
    expect(isIanaTimeZone('Nowhere')).toBe(false);
  });

  it('when list query strings arrive, then page and limit are coerced and bounded', () => {
    expect(EventListQuery.parse({ page: '2', limit: '50' })).toMatchObject({ page: 2, limit: 50 });
    expect(EventListQuery.safeParse({ limit: '1000' }).success).toBe(false);
    expect(EventListQuery.safeParse({ from: '2030-02-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }).success).toBe(false);
  });
});
