import pg from 'pg';
import { loadEnv } from '../config/env.js';
import { migrate } from './migrate.js';

/** `pnpm db:migrate`: create the database if it is missing, then apply pending migrations. */
async function main() {
  const env = loadEnv();
  await ensureDatabase(env.DATABASE_URL);
  const applied = await migrate(env.DATABASE_URL);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
}

/** Create the target database through the `postgres` maintenance database when it does not exist. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
