// The database consistency check (apps/api/src/modules/health/consistency.sql) as a function: sold seats and completed
// orders match one to one, every succeeded charge has a completed order or a refund, no hold outlives
// its expiry plus grace, seat counts add up. Used by the fault suite (scripts/test/faults.test.mjs);
// anything with a pg client or pool can call it (an oversell gauge, an operator's one-off run).
//
//   import { checkConsistency } from './lib/consistency.mjs';
//   const r = await checkConsistency(pool, { holdGraceSeconds: 10 });
//   r.violations  // { check: count } for every check that found something (empty = consistent)
//   r.unsettled   // states that are legal for a while: checkouts in flight, refunds not yet made
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSISTENCY_SQL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/api/src/modules/health/consistency.sql');

/** The named checks of apps/api/src/modules/health/consistency.sql: { name, kind: 'violation' | 'unsettled', sql }. */
export function loadChecks(file = CONSISTENCY_SQL) {
  const text = readFileSync(file, 'utf8');
  const blocks = text.split(/^-- check: /m).slice(1);
  return blocks.map((block) => {
    const name = block.slice(0, block.indexOf('\n')).trim();
    const kind = /^-- kind: unsettled$/m.test(block) ? 'unsettled' : 'violation';
    return { name, kind, sql: block.slice(block.indexOf('\n') + 1).trim().replace(/;\s*$/, '') };
  });
}

/**
 * Provider charges (the payment provider's own ledger) without a sale or a refund: each
 * `{ orderId, paymentId, refunded }` must be a completed order naming that payment, or refunded.
 * A charge of an order still pending, or updated within the settle window, is unsettled.
 */
const PROVIDER_SQL = `
WITH c AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::boolean[]) AS c(order_id, payment_id, refunded)
)
SELECT
  count(*) FILTER (WHERE NOT c.refunded AND (o.id IS NULL OR o.status <> 'completed' OR o.payment_id IS DISTINCT FROM c.payment_id)
                     AND (o.status = 'pending' OR o.updated_at > now() - make_interval(secs => $4::int)))::int AS unsettled,
  count(*) FILTER (WHERE NOT c.refunded AND (o.id IS NULL OR o.status <> 'completed' OR o.payment_id IS DISTINCT FROM c.payment_id)
                     AND NOT (o.status = 'pending' OR o.updated_at > now() - make_interval(secs => $4::int)))::int AS unaccounted,
  count(*) FILTER (WHERE c.refunded AND o.status = 'completed')::int AS completed_but_refunded,
  (array_agg(c.order_id) FILTER (WHERE NOT c.refunded AND (o.id IS NULL OR o.status <> 'completed')))[1:5] AS sample
FROM c LEFT JOIN orders o ON o.id = c.order_id`;

/**
 * Run every check. `db`: a pg Client or Pool. `holdGraceSeconds`: how far the expiry worker may lag
 * (default 30). `settleSeconds`: how long a charge may wait for the reconciler (default 900, the
 * checkout reconciler's window for late charges). `providerCharges`: the provider's ledger, when
 * the caller can read it (the simulated provider keeps it in Redis: see readSimulatedLedger).
 * Returns { violations, unsettled, samples } — `violations` and `unsettled` map a check to its count
 * (only non-zero ones), `samples` a check to up to 5 ids.
 */
export async function checkConsistency(db, { holdGraceSeconds = 30, settleSeconds = 900, providerCharges } = {}) {
  const violations = {};
  const unsettled = {};
  const samples = {};
  for (const check of loadChecks()) {
    const { rows } = await db.query(check.sql, [holdGraceSeconds, settleSeconds]);
    const { n, sample } = rows[0];
    if (!n) continue;
    (check.kind === 'unsettled' ? unsettled : violations)[check.name] = n;
    samples[check.name] = sample;
  }
  if (providerCharges) {
    const { rows } = await db.query(PROVIDER_SQL, [
      providerCharges.map((c) => c.orderId),
      providerCharges.map((c) => c.paymentId),
      providerCharges.map((c) => Boolean(c.refunded)),
      settleSeconds,
    ]);
    const r = rows[0];
    if (r.unaccounted) violations.provider_charge_without_sale_or_refund = r.unaccounted;
    if (r.completed_but_refunded) violations.provider_refund_of_completed_order = r.completed_but_refunded;
    if (r.unsettled) unsettled.provider_charge_unsettled = r.unsettled;
    if (r.sample?.length) samples.provider_charges = r.sample;
  }
  return { violations, unsettled, samples };
}

/**
 * The simulated provider's ledger (apps/api payments/simulated-provider.ts keeps it in Redis under the
 * app's key prefix): one `{ orderId, paymentId, refunded }` per charge. `redis` is an ioredis client
 * without a key prefix; `prefix` is the app's REDIS_KEY_PREFIX.
 */
export async function readSimulatedLedger(redis, prefix) {
  const charges = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}simpay:{ledger}:key:*`, 'COUNT', 1000);
    cursor = next;
    if (!keys.length) continue;
    const values = await redis.mget(...keys);
    keys.forEach((key, i) => {
      const record = values[i] && JSON.parse(values[i]);
      if (record) charges.push({ orderId: key.slice(`${prefix}simpay:{ledger}:key:`.length), paymentId: record.paymentId });
    });
  } while (cursor !== '0');
  if (charges.length) {
    const refunded = await redis.mget(...charges.map((c) => `${prefix}simpay:{ledger}:refund:${c.paymentId}`));
    charges.forEach((c, i) => (c.refunded = refunded[i] !== null));
  }
  return charges;
}
