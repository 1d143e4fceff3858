import pg from 'pg';

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
 * HOLD_COMMIT=sync (architecture.md, "Hold commits"). Both plan named statements once.
 */
export function createAppPools(env: { DATABASE_URL: string; HOLD_COMMIT: 'async' | 'sync' }, size: number): { db: pg.Pool; holdsDb: pg.Pool } {
  return {
    db: createPool(env.DATABASE_URL, size, { genericPlans: true }),
    holdsDb: createPool(env.DATABASE_URL, Math.max(2, Math.ceil(size / 4)), { asyncCommit: env.HOLD_COMMIT === 'async', genericPlans: true }),
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
export function createPool(connectionString: string, max = 20, opts: { asyncCommit?: boolean; genericPlans?: boolean } = {}): pg.Pool {
  const settings = [opts.asyncCommit && '-c synchronous_commit=off', opts.genericPlans && '-c plan_cache_mode=force_generic_plan'].filter(Boolean);
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    ...(settings.length ? { options: settings.join(' ') } : {}),
  });
  // An idle client's error (e.g. server restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/**
 * Run `fn` in one transaction; commits on success, rolls back on any throw.
 * The service that owns the use case calls this and hands `tx` to the repos.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
