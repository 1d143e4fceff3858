import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CheckinInput,
  CheckoutInput,
  EventInput,
  EventListQuery,
  LoginInput,
  RegisterInput,
  TEXT_CHARACTER_MESSAGE,
  VenueInput,
  VenueListQuery,
  passesLuhn,
  text,
} from '../src/index.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const LONE_HIGH = 'a\uD800b';
const LONE_LOW = 'a\uDC00b';
const BAD = ['a\u0000b', 'a\u0001b', 'a\u001Bb', 'a\u007Fb', 'a\u0085b', LONE_HIGH, LONE_LOW, '\uDFFF\uD800'];

describe('text()', () => {
  const name = text({ min: 1, max: 20 });
  const body = text({ max: 50, multiline: true });

  it.each(BAD)('when a single-line value holds %j, then it is refused with the text message', (value) => {
    const r = name.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(TEXT_CHARACTER_MESSAGE);
  });

  it('when text is ordinary, accented, CJK or emoji (a surrogate pair), then it parses trimmed', () => {
    expect(name.parse('  Zoë Ōsaka ')).toBe('Zoë Ōsaka');
    expect(name.parse('東京ドーム')).toBe('東京ドーム');
    expect(name.parse('Rock 🎸 night')).toBe('Rock 🎸 night');
  });

  it('when a value has an inner tab or line break, then single-line refuses it and multiline keeps it', () => {
    expect(name.safeParse('a\tb').success).toBe(false);
    expect(name.safeParse('a\nb').success).toBe(false);
    expect(body.parse('line one\r\nline\ttwo')).toBe('line one\r\nline\ttwo');
    expect(body.safeParse('a\u0000b').success).toBe(false);
    expect(body.safeParse(LONE_HIGH).success).toBe(false);
  });

  it('when trim is off, then surrounding spaces are kept (passwords)', () => {
    expect(text({ max: 10, trim: false }).parse(' pw ')).toBe(' pw ');
  });
});

describe('every request text field refuses NUL and lone surrogates', () => {
  const venue = {
    name: 'Hall',
    city: 'Oslo',
    sections: [{ name: 'A', priceTier: 1, priceCents: 1000, rows: [{ label: '1', seats: [{ number: '1', x: 0, y: 0 }] }] }],
  };
  const event = { name: 'Gig', category: 'concert', venueId: uuid(1), startsAt: '2030-01-02T20:00:00Z', onSaleAt: '2030-01-01T10:00:00Z' };
  const checkout = { holdId: uuid(2), payment: { cardNumber: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123', name: 'Ada' } };
  const register = { email: 'ada@example.com', password: 'long-enough-1', name: 'Ada' };

  // [schema, a valid input, a function that puts `bad` into one text field]
  const cases: [string, z.ZodType, unknown, (bad: string) => unknown][] = [
    ['register name', RegisterInput, register, (bad) => ({ ...register, name: bad })],
    ['register email', RegisterInput, register, (bad) => ({ ...register, email: `a${bad}@example.com` })],
    ['register password', RegisterInput, register, (bad) => ({ ...register, password: `long-enough-1${bad}` })],
    ['login password', LoginInput, { email: 'a@b.co', password: 'x' }, (bad) => ({ email: 'a@b.co', password: bad })],
    ['events q', EventListQuery, { q: 'rock' }, (bad) => ({ q: bad })],
    ['events city', EventListQuery, { city: 'Oslo' }, (bad) => ({ city: bad })],
    ['venues city', VenueListQuery, { city: 'Oslo' }, (bad) => ({ city: bad })],
    ['venue name', VenueInput, venue, (bad) => ({ ...venue, name: bad })],
    ['venue city', VenueInput, venue, (bad) => ({ ...venue, city: bad })],
    ['venue address', VenueInput, venue, (bad) => ({ ...venue, address: bad })],
    ['venue country', VenueInput, venue, (bad) => ({ ...venue, country: bad })],
    ['venue timezone', VenueInput, venue, (bad) => ({ ...venue, timezone: `Europe/Oslo${bad}` })],
    ['section name', VenueInput, venue, (bad) => ({ ...venue, sections: [{ ...venue.sections[0], name: bad }] })],
    ['row label', VenueInput, venue, (bad) => ({ ...venue, sections: [{ ...venue.sections[0], rows: [{ label: bad, seats: [{ number: '1', x: 0, y: 0 }] }] }] })],
    ['seat number', VenueInput, venue, (bad) => ({ ...venue, sections: [{ ...venue.sections[0], rows: [{ label: '1', seats: [{ number: bad, x: 0, y: 0 }] }] }] })],
    ['event name', EventInput, event, (bad) => ({ ...event, name: bad })],
    ['event performer', EventInput, event, (bad) => ({ ...event, performer: bad })],
    ['event description', EventInput, event, (bad) => ({ ...event, description: bad })],
    ['card holder name', CheckoutInput, checkout, (bad) => ({ ...checkout, payment: { ...checkout.payment, name: bad } })],
    ['card number', CheckoutInput, checkout, (bad) => ({ ...checkout, payment: { ...checkout.payment, cardNumber: `4242${bad}424242424242` } })],
    ['check-in code', CheckinInput, { code: 'abc' }, (bad) => ({ code: bad })],
  ];

  it.each(cases)('when the %s holds NUL or a lone surrogate, then it is refused; the valid input parses', (_label, schema, valid, withBad) => {
    expect(schema.safeParse(valid).success).toBe(true);
    for (const bad of ['x\u0000y', LONE_HIGH, LONE_LOW]) expect(schema.safeParse(withBad(bad)).success).toBe(false);
  });
});

describe('card numbers', () => {
  it.each(['4242424242424242', '4000000000000002', '4000000000009995', '4000000000000119', '4000000000006975', '5555555555554444', '378282246310005'])(
    'when %s is a test card, then it passes the Luhn check',
    (n) => expect(passesLuhn(n)).toBe(true),
  );

  it('when one digit is mistyped, then the Luhn check and the checkout schema refuse it', () => {
    expect(passesLuhn('4242424242424241')).toBe(false);
    const r = CheckoutInput.safeParse({ holdId: uuid(3), payment: { cardNumber: '4242 4242 4242 4241', expMonth: 12, expYear: 2030, cvc: '123', name: 'Ada' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['payment.cardNumber']);
  });
});
