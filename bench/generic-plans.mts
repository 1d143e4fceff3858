/**
 * The generic plan of every hot named statement (both app pools run with
 * plan_cache_mode = force_generic_plan: apps/api/src/platform/db.ts), EXPLAINed against the bench
 * database after holds-bench.mjs filled it (20,000-seat events, holds, orders). Prints each
 * statement's verdict and exits 1 if any plan reads a table with a Seq Scan: a generic plan must be
 * right whatever the parameters, so a new `named()` statement belongs in this list.
 *
 *   cd apps/api && DB=postgres://root@127.0.0.1:5432/ticketing_bench npx tsx ../../bench/generic-plans.mts
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import * as co from '../apps/api/src/modules/checkout/checkout.repo.js';
import * as inv from '../apps/api/src/modules/inventory/inventory.repo.js';
import * as holds from '../apps/api/src/modules/inventory/holds.repo.js';
import * as ledger from '../apps/api/src/modules/inventory/seat-ledger.repo.js';
const pg = createRequire(new URL('../apps/api/package.json', import.meta.url))('pg');
const db = new pg.Client({ connectionString: process.env.DB ?? 'postgres://root@127.0.0.1:5432/ticketing_bench' });
await db.connect();
const ev = (await db.query(`select id from events where name like 'Bench%' order by created_at desc limit 1`)).rows[0].id;
const uid = (await db.query(`select id from users order by created_at desc limit 1`)).rows[0].id;
const hold = (await db.query(`select id from holds order by created_at desc limit 1`)).rows[0].id;
const seat = (await db.query(`select id from event_seats where event_id=$1 limit 1`, [ev])).rows[0].id;
let captured: any;
const fake = { query: async (q: any) => { captured = q; return { rows: [{}], rowCount: 0 }; } } as any;
const lit = (v: any) => Array.isArray(v) ? db.escapeLiteral(`{${v.map((x) => `"${x}"`).join(',')}}`) : v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v instanceof Date ? db.escapeLiteral(v.toISOString()) : db.escapeLiteral(String(v));
const id = randomUUID();
const cases: [string, () => Promise<unknown>][] = [
  ['order_by_key', () => co.findOrderByKey(fake, uid, 'k')],
  ['claim_order', () => co.claimOrder(fake, { holdId: hold, eventId: ev, userId: uid, key: 'k', requestHash: 'h', holdExpiresAt: new Date(), totalCents: 1 })],
  ['order_facts', () => co.orderFacts(fake, { holdId: hold, eventId: ev, userId: uid, key: 'k', exceptOrderId: id })],
  ['complete', () => co.completeSale(fake, { orderId: id, paymentId: 'p', provider: 'sim', amountCents: 1, currency: 'EUR', last4: '4242', tickets: [{ id: randomUUID(), seatId: seat, code: 'c' }], from: 'pending' })],
  ['fail', () => co.failOrder(fake, id, 'payment_declined')],
  ['upsert_payment', () => co.upsertPayment(fake, { orderId: id, provider: 's', providerRef: null, amountCents: 1, currency: 'EUR', status: 'failed', last4: null })],
  ['lock_hold', () => ledger.lockHold(fake, hold)],
  ['extend', () => ledger.extendHold(fake, hold, 120)],
  ['restore', () => ledger.restoreHold(fake, hold, new Date())],
  ['lock_for_sale', () => ledger.lockHoldForSale(fake, ev, hold)],
  ['sell', () => ledger.sellHeldSeats(fake, hold, id)],
  ['free_sold', () => ledger.freeSoldSeats(fake, id)],
  ['take_hold', () => holds.takeHold(fake, { id, eventId: ev, userId: uid, sessionId: null, ttlSeconds: 600, seatIds: [seat], maxTickets: 8 })],
  ['release_own', () => holds.releaseOwnHold(fake, hold, uid)],
  ['release_seats', () => holds.releaseHoldSeats(fake, [hold])],
  ['end_holds', () => holds.endHolds(fake, [hold], 'released')],
  ['lock_expired', () => holds.lockExpiredHolds(fake, 200)],
  ['events_with_holds', () => holds.eventsWithActiveHolds(fake, 50)],
  ['current_hold', () => holds.findCurrentHold(fake, uid, ev)],
  ['layout_version', () => inv.findLayoutVersion(fake, ev)],
  ['active_owners', () => holds.findActiveHoldOwners(fake, [hold])],
];
await db.query('SET plan_cache_mode = force_generic_plan');
let seqScans = 0;
await db.query('BEGIN');
for (const [name, run] of cases) {
  await run().catch(() => {});
  if (!captured?.name) throw new Error(`${name}: not a named statement`);
  await db.query('SAVEPOINT sp');
  await db.query(`PREPARE ${name} AS ${captured.text}`);
  try {
    const r = await db.query(`EXPLAIN (COSTS OFF) EXECUTE ${name}(${captured.values.map(lit).join(', ')})`);
    const lines = r.rows.map((x: any) => x['QUERY PLAN']);
    const bad = lines.filter((l: string) => /Seq Scan/.test(l));
    seqScans += bad.length;
    console.log(`${name}: ${bad.length ? 'SEQ SCAN: ' + bad.map((l: string) => l.trim()).join(' | ') : 'index scans only'}`);
  } catch (e) {
    seqScans++;
    console.log(`${name}: ERROR ${(e as Error).message}`);
    await db.query('ROLLBACK TO SAVEPOINT sp');
  }
  captured = null;
}
await db.query('ROLLBACK');
await db.end();
if (seqScans) process.exitCode = 1;
