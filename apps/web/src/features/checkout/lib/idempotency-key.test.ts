import { describe, expect, it } from 'vitest';
import { attemptKey, forgetAttemptKey, renewAttemptKey, type KeyStorage } from './idempotency-key';

function memory(): KeyStorage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

describe('checkout attempt key', () => {
  it('when asked twice for the same hold (retry, double click, reload), then the same key comes back', () => {
    const s = memory();
    const a = attemptKey('hold-1', s);
    expect(attemptKey('hold-1', s)).toBe(a);
    expect(a).toMatch(/^[\x21-\x7e]{8,200}$/);
  });

  it('when the hold changes, then the key changes', () => {
    const s = memory();
    expect(attemptKey('hold-1', s)).not.toBe(attemptKey('hold-2', s));
  });

  it('when renewed after a final answer, then a new key replaces the old one; forgotten keys are gone', () => {
    const s = memory();
    const a = attemptKey('hold-1', s);
    const b = renewAttemptKey('hold-1', s);
    expect(b).not.toBe(a);
    expect(attemptKey('hold-1', s)).toBe(b);
    forgetAttemptKey('hold-1', s);
    expect(attemptKey('hold-1', s)).not.toBe(b);
  });
});
