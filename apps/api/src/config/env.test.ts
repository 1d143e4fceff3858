import { describe, expect, it } from 'vitest';
import { loadEnv } from './env.js';

describe('environment', () => {
  it('when nothing is set outside production, then local defaults apply and the result is frozen', () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe('postgres://root@127.0.0.1:5432/ticketing');
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('when a variable is malformed, then loading fails with a message naming it', () => {
    expect(() => loadEnv({ PORT: 'eighty', REDIS_URL: 'http://x' })).toThrow(/PORT[\s\S]*REDIS_URL|REDIS_URL[\s\S]*PORT/);
  });

  it('when production lacks its secrets, then loading fails naming SESSION_SECRET and TICKET_SECRET', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) })).toThrow(/TICKET_SECRET: is required in production/);
    expect(loadEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), TICKET_SECRET: 'y'.repeat(32) }).NODE_ENV).toBe('production');
  });
});
