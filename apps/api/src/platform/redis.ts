import { Redis } from 'ioredis';

export type { Redis };

/**
 * A Redis connection with the process key prefix. While Redis is down, commands wait at
 * most one reconnect attempt or `commandTimeout`, then fail, so a request never hangs on it.
 */
export function createRedis(url: string, keyPrefix: string, opts: { lazy?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    keyPrefix,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    connectTimeout: 2_000,
    lazyConnect: opts.lazy ?? false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    // Commands issued by concurrent requests in the same event-loop turn go out in one write
    // (one system call instead of one each) and come back in one read; per-connection order is
    // kept. Under a rush this is most of Redis's cost on our side (bench/README.md).
    enableAutoPipelining: true,
  });
  // Connection errors are reported by /ready and by the callers that fail; do not crash.
  redis.on('error', () => {});
  return redis;
}

/** Resolve once the connection is ready, or reject after `ms`. */
export function redisReady(redis: Redis, ms = 5_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error('Redis did not become ready'));
    }, ms);
    const onReady = () => {
      clearTimeout(t);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
