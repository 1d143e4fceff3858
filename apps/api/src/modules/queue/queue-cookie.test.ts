import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { QUEUE_COOKIE_TTL_SECONDS, QueueCookie, VERIFIED_PAYLOADS_MAX } from './queue-cookie.js';

const env = { SESSION_SECRET: 'cookie-test-secret-0123456789', COOKIE_SECURE: false };
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

/** A cookie with an arbitrary payload text, signed with the real key (what only a bug could issue). */
function signed(text: string): string {
  const key = createHmac('sha256', env.SESSION_SECRET).update('tk.q/v1').digest();
  const payload = Buffer.from(text).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

describe('waiting-room poll cookie', () => {
  it('when a cookie is verified again, then the remembered payload gives the same visitor and a fresh object each time', () => {
    const c = new QueueCookie(env);
    const value = c.issue({ sessionId: 'sid-1', userId: 'user-1' }, NOW);

    const first = c.verify(value, NOW + 1000);
    const second = c.verify(value, NOW + 2000);

    expect(first).toEqual({ sessionId: 'sid-1', userId: 'user-1' });
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(c.verifiedCount).toBe(1);
    expect(c.verify(c.issue({ sessionId: 'sid-2' }, NOW), NOW)).toEqual({ sessionId: 'sid-2', userId: null });
  });

  it('when a remembered payload comes with an altered, truncated, foreign or missing MAC, then it is refused as before', () => {
    const c = new QueueCookie(env);
    const value = c.issue({ sessionId: 'victim' }, NOW);
    expect(c.verify(value, NOW)).not.toBeNull(); // now remembered
    const [payload, mac] = value.split('.') as [string, string];
    const foreign = new QueueCookie({ ...env, SESSION_SECRET: 'another-secret-0123456789' }).issue({ sessionId: 'victim' }, NOW);

    expect(c.verify(`${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`, NOW)).toBeNull();
    expect(c.verify(`${payload}.${mac.slice(0, -4)}`, NOW)).toBeNull();
    expect(c.verify(`${payload}.`, NOW)).toBeNull();
    expect(c.verify(`${payload}.${foreign.split('.')[1]}`, NOW)).toBeNull();
    expect(c.verify(foreign, NOW)).toBeNull();
    expect(c.verify(value, NOW)).toEqual({ sessionId: 'victim', userId: null });
  });

  it('when a remembered cookie expires, then it is refused and forgotten', () => {
    const c = new QueueCookie(env);
    const value = c.issue({ sessionId: 'late' }, NOW);
    const expiry = NOW + QUEUE_COOKIE_TTL_SECONDS * 1000;
    expect(c.verify(value, expiry - 1)).not.toBeNull();

    expect(c.verify(value, expiry)).toBeNull();
    expect(c.verifiedCount).toBe(0);
    expect(c.verify(value, expiry - 1)).not.toBeNull(); // its MAC is still good: only the clock refuses it
  });

  it('when a correctly signed payload is malformed, then it is refused and not remembered', () => {
    const c = new QueueCookie(env);
    for (const text of ['only|two', 'a|b|c|d', '|user|9999999999', 'sid|user|soon']) expect(c.verify(signed(text), NOW), text).toBeNull();
    expect(c.verifiedCount).toBe(0);
  });

  it('when more payloads verify than the cache keeps, then the least recently used are dropped and every cookie still verifies', () => {
    const c = new QueueCookie(env);
    const values = Array.from({ length: VERIFIED_PAYLOADS_MAX + 10 }, (_, i) => c.issue({ sessionId: `s-${i}` }, NOW));

    const verified = values.filter((v) => c.verify(v, NOW) !== null).length;

    expect(verified).toBe(values.length);

    expect(c.verifiedCount).toBe(VERIFIED_PAYLOADS_MAX);
    expect(c.verify(values[0]!, NOW)).toEqual({ sessionId: 's-0', userId: null });
  });
});
