import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Countdown } from './countdown';
import { recordServerDate, resetServerClock } from '../../lib/server-clock';

describe('<Countdown>', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-21T12:00:00.000Z'));
    resetServerClock();
  });
  afterEach(() => {
    vi.useRealTimers();
    resetServerClock();
  });

  it('when more than two minutes remain, then it shows mm:ss without the urgent style', () => {
    render(<Countdown expiresAt="2026-11-21T12:10:00.000Z" />);
    expect(screen.getByText('10:00')).toBeTruthy();
    expect(document.querySelector('[data-urgent]')).toBeNull();
  });

  it('when the server clock is ahead (Date header), then less time is shown and the last two minutes turn urgent', () => {
    // The server says 12:08:30 while the local clock says 12:00:00.
    const now = Date.now();
    recordServerDate('Sat, 21 Nov 2026 12:08:30 GMT', now, now);
    render(<Countdown expiresAt="2026-11-21T12:10:00.000Z" />);
    expect(screen.getByText('01:30')).toBeTruthy();
    expect(document.querySelector('[data-urgent]')).not.toBeNull();
  });

  it('when the time runs out, then onExpire is called once and "Hold expired" is shown', () => {
    const onExpire = vi.fn();
    render(<Countdown expiresAt="2026-11-21T12:00:02.000Z" onExpire={onExpire} />);
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(screen.getByText('Hold expired')).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(onExpire).toHaveBeenCalledTimes(1);
  });
});
