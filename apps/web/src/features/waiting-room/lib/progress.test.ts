import { describe, expect, it } from 'vitest';
import { formatWait, queueProgress, rememberStartPosition } from './progress';

describe('waiting-room progress', () => {
  it('when the visitor has not moved, then progress is 0; at the front it is 1', () => {
    expect(queueProgress(100, 100)).toBe(0);
    expect(queueProgress(100, 1)).toBe(1);
    expect(queueProgress(101, 51)).toBeCloseTo(0.5);
  });

  it('when the start position is remembered, then a reload keeps it and a worse position resets it', () => {
    sessionStorage.clear();
    expect(rememberStartPosition('e1', 40)).toBe(40);
    expect(rememberStartPosition('e1', 25)).toBe(40);
    expect(rememberStartPosition('e1', 60)).toBe(60);
  });

  it('when the wait is formatted, then it reads naturally', () => {
    expect(formatWait(30)).toBe('less than a minute');
    expect(formatWait(180)).toBe('about 3 minutes');
    expect(formatWait(undefined)).toBe('unknown');
  });
});
