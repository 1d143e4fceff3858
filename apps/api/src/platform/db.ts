import pg from 'pg';
import { connectionLoss } from './connection-errors.js';

/** Told of each connection a pool loses (for a warning: the pool replaces it by itself). */
export type ConnectionErrorLog = (err: Error & { code?: string }) => void;

/** Anything that can run a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;
export type Db = pg.Pool;

/**
 * A named (prepared) statement: PostgreSQL parses and (on the app's pools, `genericPlans`) plans it
 * once per connection, and the SQL text is not sent again on every call. For the hot paths (holds,
 * checkout); write it so that one generic plan suits every parameter value (see createPool).
 */
export function named(name: string, text: string, values: unknown[]): { name: string; text: string; values: unknown[] } {
  return { name, text, values };
}

/**
 * The app's two pools (main.ts and the tests build them here, the same way): `db` for everything,
 * `holdsDb` for seat-hold writes — a quarter of the size (a hold statement takes ~0.4 ms; three
 * instances × 25 stay under PostgreSQL's default 100 connections), asynchronous commit unless
 * HOLD_COMMIT=sync (architecture.md, "Hold commits"). Both plan named statements once. `readDb`
 * serves discovery reads: a pool on DATABASE_READ_URL (a streaming replica) when set, else `db`.
 */
export function createAppPools(
  env: { DATABASE_URL: string; DATABASE_READ_URL?: string | undefined; HOLD_COMMIT: 'async' | 'sync' },
  size: number,
  onConnectionError?: ConnectionErrorLog,
): { db: pg.Pool; holdsDb: pg.Pool; readDb: pg.Pool } {
  const db = createPool(env.DATABASE_URL, size, { genericPlans: true, onConnectionError, applicationName: 'ticketing-api' });
  return {
    db,
    holdsDb: createPool(env.DATABASE_URL, Math.max(2, Math.ceil(size / 4)), { asyncCommit: env.HOLD_COMMIT === 'async', genericPlans: true, onConnectionError, applicationName: 'ticketing-api-holds' }),
    // Discovery reads on the replica when there is one (docs/adr/0050-redis-cluster-and-read-replica.md);
    // the same session settings as `db`, which served them before.
    readDb: env.DATABASE_READ_URL ? createPool(env.DATABASE_READ_URL, size, { genericPlans: true, onConnectionError, applicationName: 'ticketing-api-read' }) : db,
  };
}

// int8 (count(*), sums) arrive as strings by default; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

/**
 * A connection pool. Session settings, applied at connection start-up (no extra round trip):
 * - `asyncCommit`: `synchronous_commit = off`, a commit is acknowledged before its WAL reaches the
 *   disk. Only for writes whose loss in a PostgreSQL crash is harmless — seat holds
 *   (architecture.md, "Hold commits"); never for orders or payments.
 * - `genericPlans`: `plan_cache_mode = force_generic_plan`, a named statement is planned once per
 *   connection instead of at every execution (re-planning a hold's CTE cost more than running it).
 *   Unnamed statements are planned per execution as always. Both of the app's pools set it, so
 *   every `named()` statement must be written so that its generic plan is right whatever the
 *   parameters: lookups by primary key, by hold, by user — never a choice the values would change.
 */
export function createPool(
  connectionString: string,
  max = 20,
  opts: { asyncCommit?: boolean; genericPlans?: boolean; onConnectionError?: ConnectionErrorLog; applicationName?: string } = {},
): pg.Pool {
  const settings = [opts.asyncCommit && '-c synchronous_commit=off', opts.genericPlans && '-c plan_cache_mode=force_generic_plan'].filter(Boolean);
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    // TCP keep-alive: a server that vanished without closing the socket is noticed, not waited on forever.
    keepAlive: true,
    // Names the pool in pg_stat_activity (which pool holds which connections, on which server).
    ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
    ...(settings.length ? { options: settings.join(' ') } : {}),
  });
  // A connection can die at any time (pg_terminate_backend, a restart or failover, a network drop)
  // and pg reports it as an 'error' event on its client; an 'error' event nobody listens to ends
  // the process. pg-pool listens only while the client is idle (and re-emits it here); a client
  // checked out with pool.connect() has no listener of pg-pool's — so every client gets its own for
  // its whole life. The pool drops a broken client (idle: at once; checked out: when released), and
  // the caller's next query on it rejects, which is where the request learns of it.
  const log = opts.onConnectionError ?? (() => {});
  pool.on('error', () => {}); // the same error also reaches the client's own listener below
  pool.on('connect', (client) => {
    client.on('error', (err) => log(err));
  });
  return pool;
}

/**
 * Run `fn` in one transaction; commits on success, rolls back on any throw. A client whose
 * connection broke is destroyed on release, never handed to the next caller.
 * The service that owns the use case calls this and hands `tx` to the repos.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // Set when the connection breaks: the client is then destroyed on release, never reused.
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken ??= err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    const loss = connectionLoss(err);
    if (loss && loss.service !== 'redis') broken ??= err as Error;
    // On a lost connection the server has already rolled the transaction back (a backend that ends
    // aborts its open transaction), so nothing is half written; a ROLLBACK would only fail. (A loss
    // during COMMIT leaves the outcome unknown to us — all or nothing, never half; callers that must
    // know, like checkout, look the row up again by its idempotency key.)
    if (!broken) await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
    throw err;
  } finally {
    client.off('error', onError);
    // release(err) tells pg-pool to destroy the client instead of returning it to the pool.
    client.release(broken);
  }
}
