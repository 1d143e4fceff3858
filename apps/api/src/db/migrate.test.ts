import pg from 'pg';
import { inject, describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';

describe('migrations', () => {
  it('when run against a brand-new empty database, then every table exists; a second run applies nothing', async () => {
    const name = `tk_test_${inject('runId')}_empty_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: inject('adminUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(inject('adminUrl'));
    url.pathname = `/${name}`;
    try {
      const applied = await migrate(url.toString());
      expect(applied.length).toBeGreaterThanOrEqual(1);
      expect(applied[0]).toBe('1763726400000_init');

      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const { rows } = await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      const { rows: idx } = await db.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'events_search_idx' AND indexdef ILIKE '%USING gin%'`);
      await db.end();
      const tables = rows.map((r) => r.table_name);
      for (const t of ['users', 'venues', 'venue_sections', 'venue_seats', 'events', 'event_sections', 'event_seats', 'holds', 'orders', 'payments', 'tickets', 'pgmigrations']) {
        expect(tables, t).toContain(t);
      }
      expect(idx).toHaveLength(1);

      expect(await migrate(url.toString())).toEqual([]);
    } finally {
      // The database carries this run's prefix: the global teardown drops it once every connection is gone.
      await admin.end();
    }
  });
});
