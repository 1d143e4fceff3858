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

  it('when COOKIE_SECURE is unset, then it is true in production and false elsewhere; `false` opts out in production', () => {
    const prod = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), TICKET_SECRET: 'y'.repeat(32) };
    expect(loadEnv(prod).COOKIE_SECURE).toBe(true);
    expect(loadEnv({ ...prod, COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(false);
    expect(loadEnv({}).COOKIE_SECURE).toBe(false);
    expect(loadEnv({ COOKIE_SECURE: 'true' }).COOKIE_SECURE).toBe(true);
  });

  it('when TRUST_PROXY names addresses, subnets or ranges, then it becomes an Express trust list; default loopback', () => {
    expect(loadEnv({}).TRUST_PROXY).toEqual(['loopback']);
    expect(loadEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7,fd00::/8,172.16.0.0/255.240.0.0,uniquelocal' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      '172.16.0.0/255.240.0.0',
      'uniquelocal',
    ]);
    expect(loadEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });

  it('when TRUST_PROXY is a hop count or true, then loading fails explaining why', () => {
    expect(() => loadEnv({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY: "1" trusts X-Forwarded-For from any client/);
    expect(() => loadEnv({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: "true" trusts/);
    expect(() => loadEnv({ TRUST_PROXY: 'loopback,10.0.0.0/33,nginx' })).toThrow(/TRUST_PROXY: not an address.*10\.0\.0\.0\/33, nginx/);
  });
  it('when REDIS_CLUSTER_NODES and DATABASE_READ_URL are set, then they are parsed (seed nodes, replica URL); unset, both are absent; a bad entry is named', () => {
    const env = loadEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-2:7001,[::1]:7002', DATABASE_READ_URL: 'postgres://ro@replica:5432/ticketing' });
    expect(env.REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(env.DATABASE_READ_URL).toBe('postgres://ro@replica:5432/ticketing');
    expect(loadEnv({}).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(loadEnv({}).DATABASE_READ_URL).toBeUndefined();
    expect(() => loadEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-2' })).toThrow(/REDIS_CLUSTER_NODES: not host:port: redis-2/);
    expect(() => loadEnv({ DATABASE_READ_URL: 'mysql://x' })).toThrow(/DATABASE_READ_URL/);
  });
});
