import { describe, expect, it } from 'vitest';
import { isoToZonedInput, zonedInputToIso } from './datetime-local';

const BERLIN = 'Europe/Berlin';

describe('datetime-local on the venue clock', () => {
  it('when 20:00 is typed for a Berlin venue in winter, then the API gets 19:00Z, and 19:00Z shows as 20:00', () => {
    expect(zonedInputToIso('2026-12-12T20:00', BERLIN)).toBe('2026-12-12T19:00:00.000Z');
    expect(isoToZonedInput('2026-12-12T19:00:00Z', BERLIN)).toBe('2026-12-12T20:00');
  });

  it('when the same wall time is on the other side of a DST change, then the instant moves by the hour', () => {
    // Berlin goes to summer time on 2026-03-29 at 02:00 (UTC+1 → UTC+2).
    expect(zonedInputToIso('2026-03-28T20:00', BERLIN)).toBe('2026-03-28T19:00:00.000Z');
    expect(zonedInputToIso('2026-03-29T20:00', BERLIN)).toBe('2026-03-29T18:00:00.000Z');
    expect(isoToZonedInput('2026-03-29T18:00:00.000Z', BERLIN)).toBe('2026-03-29T20:00');
    // And back on 2026-10-25 at 03:00 (UTC+2 → UTC+1).
    expect(zonedInputToIso('2026-10-24T20:00', BERLIN)).toBe('2026-10-24T18:00:00.000Z');
    expect(zonedInputToIso('2026-10-25T20:00', BERLIN)).toBe('2026-10-25T19:00:00.000Z');
  });

  it('when values round-trip through other zones, then they come back unchanged', () => {
    for (const tz of ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC']) {
      for (const v of ['2026-01-15T09:05', '2026-07-01T23:59', '2026-11-01T00:00']) expect(isoToZonedInput(zonedInputToIso(v, tz), tz)).toBe(v);
    }
    expect(zonedInputToIso('2026-07-01T20:00', 'America/New_York')).toBe('2026-07-02T00:00:00.000Z');
  });

  it('when the input is empty or not a datetime-local value, then it is passed on for the schema to reject', () => {
    expect(zonedInputToIso('', BERLIN)).toBe('');
    expect(zonedInputToIso('tomorrow', BERLIN)).toBe('tomorrow');
    expect(isoToZonedInput('not a date', BERLIN)).toBe('');
  });

  it('when the venue zone is unknown, then the viewer zone is used (as a Date parses a local value)', () => {
    expect(zonedInputToIso('2026-12-12T20:00', 'Mars/Olympus')).toBe(new Date('2026-12-12T20:00').toISOString());
    expect(zonedInputToIso('2026-12-12T20:00', undefined)).toBe(new Date('2026-12-12T20:00').toISOString());
  });
});
