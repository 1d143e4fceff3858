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
    // No auto-pipelining: measured (bench/README.md), it halved Redis's own CPU in a flash sale
    // but cost the API more than it saved — the waiting-room status path served 36k instead of
    // 56k polls/s — because every command then waits for setImmediate and goes through a Pipeline.
    // The status poll batches itself instead: one script run answers all polls of an event made in
    // the same event-loop turn (QueueStore.status).
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
