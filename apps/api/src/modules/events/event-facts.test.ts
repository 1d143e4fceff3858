import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { EventFactsCache } from './event-facts.js';
import { eventStatus, isOnSale } from './event-status.js';
import { eventStatusSql } from './event-status.sql.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** A pool that counts the queries it runs (the real one underneath). */
function countingDb() {
  const counted = { n: 0, query: (text: string, values?: unknown[]) => (counted.n++, ctx.db.query(text, values)) };
  return counted as unknown as typeof ctx.db & { n: number };
}

describe('event facts cache (the one cache of event sale facts)', () => {
  it('when many read one event at once, then one query loads it, and it is trusted for its lifetime on the given clock', async () => {
    const ev = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 90 });
    const db = countingDb();
    let now = 1_000_000;
    const cache = new EventFactsCache(db, { ttlMs: 5_000, refreshAheadMs: 1_000, now: () => now });

    const all = await Promise.all(Array.from({ length: 20 }, () => cache.facts(ev.eventId)));
    now += 3_000;
    const later = await cache.facts(ev.eventId);
    now += 2_001;
    await cache.facts(ev.eventId);

    expect(all.every((f) => f?.id === ev.eventId && f.highDemand && f.admissionRatePerMinute === 90)).toBe(true);
    expect(later).toBe(all[0]);
    expect(db.n).toBe(2); // one load, then one after the lifetime ran out
  });

  it('when a cached entry is read close to its expiry, then it is answered from the cache and reloaded in the background; unknown ids are cached as absent', async () => {
    const ev = await createTestEvent(ctx.db, { highDemand: true });
    const db = countingDb();
    let now = 1_000_000; // lru-cache reads a start time of 0 as "no lifetime"
    const cache = new EventFactsCache(db, { ttlMs: 5_000, refreshAheadMs: 1_000, now: () => now });
    expect(cache.cachedFacts(ev.eventId)).toBeUndefined(); // never loads by itself
    await cache.facts(ev.eventId);

    now = 1_004_500;
    const near = cache.cachedFacts(ev.eventId);
    await cache.facts(ev.eventId); // joins the background reload
    now = 1_008_000; // past the first lifetime, well inside the reloaded one

    expect(near?.id).toBe(ev.eventId);
    expect(cache.cachedFacts(ev.eventId)?.id).toBe(ev.eventId);
    expect(db.n).toBe(2);
    expect(await cache.facts('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(cache.cachedFacts('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('when an admin edits an event, then the events service drops its facts at once', async () => {
    const ev = await createTestEvent(ctx.db, { highDemand: true, admissionRatePerMinute: 60 });
    expect((await ctx.services.events.facts(ev.eventId))?.admissionRatePerMinute).toBe(60);

    await ctx.services.events.updateQueueSettings(ev.eventId, { admissionRatePerMinute: 240 });

    expect(ctx.services.events.cachedFacts(ev.eventId)).toBeUndefined();
    expect((await ctx.services.events.facts(ev.eventId))?.admissionRatePerMinute).toBe(240);
  });
});

describe('the one "on sale" rule', () => {
  it('when the TypeScript rule and the SQL expression judge the same facts, then they agree', async () => {
    const hour = 3_600_000;
    const cases = [
      { onSale: -1, starts: 2, cancelled: false },
      { onSale: 1, starts: 2, cancelled: false },
      { onSale: -2, starts: -1, cancelled: false },
      { onSale: -1, starts: 2, cancelled: true },
    ];
    for (const c of cases) {
      const now = Date.now();
      const facts = { onSaleAtMs: now + c.onSale * hour, startsAtMs: now + c.starts * hour, cancelled: c.cancelled };
      const { rows } = await ctx.db.query(
        `SELECT ${eventStatusSql('e')} AS status FROM (SELECT $1::timestamptz AS on_sale_at, $2::timestamptz AS starts_at, $3::timestamptz AS cancelled_at) e`,
        [new Date(facts.onSaleAtMs), new Date(facts.startsAtMs), c.cancelled ? new Date(now) : null],
      );
      expect(eventStatus(facts, now)).toBe(rows[0].status);
      expect(isOnSale(facts, now)).toBe(rows[0].status === 'on_sale');
    }
  });
});
