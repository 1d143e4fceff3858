import { describe, expect, it } from 'vitest';
import { formatClockTime, formatEventTime } from './format';
import { knownTimeZone, offsetMinutes, wallClockToInstant } from './time-zone';

const BERLIN = 'Europe/Berlin';

describe('formatEventTime', () => {
  const winterShow = '2026-12-12T19:00:00Z'; // 20:00 in Berlin (CET, UTC+1)

  it('when a Berlin show is seen from Berlin, then it reads 20:00 with no zone', () => {
    expect(formatEventTime(winterShow, BERLIN, { locale: 'en-GB', viewerTimeZone: BERLIN })).toBe('Sat, 12 Dec 2026, 20:00');
  });

  it('when a Berlin show is seen from London or New York, then it still reads 20:00, with the venue zone named', () => {
    expect(formatEventTime(winterShow, BERLIN, { locale: 'en-GB', viewerTimeZone: 'Europe/London' })).toBe('Sat, 12 Dec 2026, 20:00 CET');
    expect(formatEventTime(winterShow, BERLIN, { locale: 'en-US', viewerTimeZone: 'America/New_York' })).toMatch(/Sat, Dec 12, 2026, 08:00\sPM GMT\+1/);
  });

  it('when the viewer is in another zone with the same offset at that moment, then no zone is shown', () => {
    expect(formatEventTime(winterShow, BERLIN, { locale: 'en-GB', viewerTimeZone: 'Europe/Paris' })).toBe('Sat, 12 Dec 2026, 20:00');
  });

  it('when the show is in summer time, then the summer zone is named', () => {
    expect(formatEventTime('2026-07-04T18:30:00Z', BERLIN, { locale: 'en-GB', viewerTimeZone: 'UTC' })).toBe('Sat, 4 Jul 2026, 20:30 CEST');
  });

  it('when the venue zone is missing or unknown, then the viewer clock is used, unlabelled', () => {
    expect(formatEventTime(winterShow, undefined, { locale: 'en-GB', viewerTimeZone: 'Europe/London' })).toBe('Sat, 12 Dec 2026, 19:00');
    expect(formatEventTime(winterShow, 'Mars/Olympus', { locale: 'en-GB', viewerTimeZone: 'Europe/London' })).toBe('Sat, 12 Dec 2026, 19:00');
  });
});

describe('time-zone arithmetic', () => {
  it('when asked for offsets, then they follow DST', () => {
    expect(offsetMinutes(new Date('2026-12-12T19:00:00Z'), BERLIN)).toBe(60);
    expect(offsetMinutes(new Date('2026-07-04T18:00:00Z'), BERLIN)).toBe(120);
    expect(offsetMinutes(new Date('2026-07-04T18:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(new Date('2026-07-04T18:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });

  it('when a wall time is skipped (spring forward) or repeated (fall back), then it maps like Temporal "compatible"', () => {
    // 2026-03-29 02:30 does not exist in Berlin: moved forward to 03:30 CEST (01:30Z).
    expect(wallClockToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, BERLIN).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 2026-10-25 02:30 happens twice in Berlin: the first one (CEST, 00:30Z).
    expect(wallClockToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, BERLIN).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('when a zone name is not an IANA zone, then knownTimeZone says so', () => {
    expect(knownTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(knownTimeZone('Mars/Olympus')).toBeUndefined();
    expect(knownTimeZone('')).toBeUndefined();
  });
});

describe('formatClockTime', () => {
  it('when the moment is today, then only the time with seconds; otherwise the date too', () => {
    const now = new Date('2026-12-12T21:00:00Z');
    expect(formatClockTime('2026-12-12T18:42:10Z', { locale: 'en-GB', timeZone: BERLIN, now })).toBe('19:42:10');
    expect(formatClockTime('2026-12-11T18:42:10Z', { locale: 'en-GB', timeZone: BERLIN, now })).toBe('11 Dec 2026, 19:42:10');
  });
});
