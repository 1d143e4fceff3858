import { describe, expect, it } from 'vitest';
import { countdown, URGENT_THRESHOLD_MS } from './countdown';
import { skewSample } from './server-clock';

const EXPIRES = '2026-11-21T12:10:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('countdown', () => {
  it('when the clocks agree, then it counts down to expiresAt in mm:ss', () => {
    const s = countdown(EXPIRES, at('2026-11-21T12:00:00.000Z'), 0);
    expect(s).toMatchObject({ remainingMs: 600_000, label: '10:00', urgent: false, expired: false });
  });

  it('when the local clock is 90 s fast (skew -90 s), then the remaining time follows the server clock', () => {
    // Local clock says 12:01:30 while the server says 12:00:00.
    const s = countdown(EXPIRES, at('2026-11-21T12:01:30.000Z'), -90_000);
    expect(s.remainingMs).toBe(600_000);
    expect(s.label).toBe('10:00');
  });

  it('when the local clock is slow (positive skew), then less time remains than the local clock suggests', () => {
    const s = countdown(EXPIRES, at('2026-11-21T12:00:00.000Z'), 5 * 60_000);
    expect(s.label).toBe('05:00');
  });

  it('when exactly two minutes remain, then it is urgent; one second more is not', () => {
    const end = at(EXPIRES);
    expect(countdown(EXPIRES, end - URGENT_THRESHOLD_MS, 0).urgent).toBe(true);
    expect(countdown(EXPIRES, end - URGENT_THRESHOLD_MS - 1000, 0).urgent).toBe(false);
  });

  it('when part of a second remains, then the label rounds up so 00:00 appears only at expiry', () => {
    const s = countdown(EXPIRES, at(EXPIRES) - 400, 0);
    expect(s.label).toBe('00:01');
    expect(s.expired).toBe(false);
  });

  it('when expiresAt has passed, then it is expired, not urgent, and never negative', () => {
    const s = countdown(EXPIRES, at(EXPIRES) + 5000, 0);
    expect(s).toMatchObject({ remainingMs: 0, label: '00:00', expired: true, urgent: false });
  });
});

describe('skewSample', () => {
  it('when the server Date header is 2 minutes ahead, then the sample is about +120 s (mid-second assumed)', () => {
    const localStart = at('2026-11-21T12:00:00.000Z');
    const sample = skewSample('Sat, 21 Nov 2026 12:02:00 GMT', localStart, localStart + 200);
    expect(sample).toBe(120_000 + 500 - 100);
  });

  it('when the header is not a date, then there is no sample', () => {
    expect(skewSample('nonsense', 0, 10)).toBeNull();
  });
});
