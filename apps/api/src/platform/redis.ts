import { Cluster, Redis } from 'ioredis';

export type { Cluster, Redis };

/**
 * What the app talks to: one Redis server, or a Redis Cluster when `REDIS_CLUSTER_NODES` is set
 * (docs/adr/0050-redis-cluster-and-read-replica.md). Both have the same commands, scripts
 * (`defineCommand`), key prefix and `status`; a script or MULTI must name keys of one hash slot
 * (every per-event key carries the `{eventId}` hash tag; test/redis-slots.test.ts checks it).
 */
export type RedisClient = Redis | Cluster;

/** A Redis Cluster seed node (`REDIS_CLUSTER_NODES` entry). */
export interface ClusterNode {
  host: string;
  port: number;
}

const retry = (times: number) => Math.min(times * 200, 2_000);

/**
 * A Redis connection with the process key prefix; with `clusterNodes`, an ioredis `Cluster`
 * seeded from them (credentials and TLS are taken from `url`). While Redis is down, commands wait
 * at most one reconnect attempt or `commandTimeout`, then fail, so a request never hangs on it.
 */
export function createRedis(url: string, keyPrefix: string, opts: { lazy?: boolean; clusterNodes?: ClusterNode[] } = {}): RedisClient {
  const common = {
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    connectTimeout: 2_000,
    // No auto-pipelining: measured (bench/README.md), it halved Redis's own CPU in a flash sale
    // but cost the API more than it saved — the waiting-room status path served 36k instead of
    // 56k polls/s — because every command then waits for setImmediate and goes through a Pipeline.
    // The status poll batches itself instead: one script run answers all polls of an event made in
    // the same event-loop turn (QueueStore.status).
  };
  let redis: RedisClient;
  if (opts.clusterNodes?.length) {
    const u = new URL(url);
    redis = new Cluster(opts.clusterNodes, {
      keyPrefix,
      enableOfflineQueue: true,
      lazyConnect: opts.lazy ?? false,
      clusterRetryStrategy: retry,
      redisOptions: {
        ...common,
        ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
        ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
        ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    });
  } else {
    redis = new Redis(url, { ...common, keyPrefix, enableOfflineQueue: true, lazyConnect: opts.lazy ?? false, retryStrategy: retry });
  }
  // Connection errors are reported by /ready and by the callers that fail; do not crash.
  redis.on('error', () => {});
  return redis;
}

/**
 * A connection for SUBSCRIBE with the same servers and options (a subscribed connection runs no
 * other commands). On a cluster, PUBLISH reaches every node over the cluster bus, so the
 * subscriber listens on whichever node ioredis picks and moves to another if that one fails.
 */
export function duplicateSubscriber(redis: RedisClient): RedisClient {
  const subscriber = { enableOfflineQueue: true, autoResubscribe: true, lazyConnect: false };
  if (redis instanceof Cluster) {
    return redis.duplicate([], { ...subscriber, redisOptions: { ...redis.options.redisOptions, maxRetriesPerRequest: null, commandTimeout: undefined } });
  }
  return redis.duplicate({ ...subscriber, maxRetriesPerRequest: null, commandTimeout: undefined });
}

type Reply = boolean | number | string | (boolean | number | string)[];

/**
 * rate-limit-redis's `sendCommandCluster` for either client. On a cluster, ioredis routes a command
 * by its key (the EVALSHA key, DECR, DEL); `SCRIPT LOAD` names no key, so it is sent to every
 * master, and the EVALSHA that follows finds the script wherever its key lives.
 */
export function rateLimitCommand(redis: RedisClient): (details: { command: string[] }) => Promise<Reply> {
  return async ({ command }) => {
    const [name = '', ...args] = command;
    if (redis instanceof Cluster && name.toUpperCase() === 'SCRIPT') {
      const shas = await Promise.all(redis.nodes('master').map((node) => node.call(name, ...args)));
      return shas[0] as Reply;
    }
    return (await redis.call(name, ...args)) as Reply;
  };
}

/** Resolve once the connection is ready, or reject after `ms`. */
export function redisReady(redis: RedisClient, ms = 5_000): Promise<void> {
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
