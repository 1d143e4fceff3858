import { loadEnv } from '../config/env.js';
import { seed } from './seed.js';

/** `pnpm db:seed`: demo data into DATABASE_URL (migrate first). Safe to run again. */
async function main() {
  const env = loadEnv();
  const started = Date.now();
  const r = await seed(env.DATABASE_URL);
  console.log(
    `Seeded in ${Date.now() - started} ms: ${r.venuesCreated} venue(s), ${r.eventsCreated} event(s) with ${r.seatsGenerated} seat(s), ${r.usersCreated} user(s) created` +
      ' (existing rows kept). Accounts: admin@example.com / admin-password-1, fan@example.com / fan-password-1.',
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
