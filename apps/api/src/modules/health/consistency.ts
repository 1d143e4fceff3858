import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Queryable } from '../../platform/db.js';

/** One named check of consistency.sql: a violation, or a state that is legal for a while ('unsettled'). */
export interface ConsistencyCheck {
  name: string;
  kind: 'violation' | 'unsettled';
  sql: string;
}

/** What `checkConsistency` found: counts and up to 5 sample ids per check that found anything. */
export interface ConsistencyReport {
  violations: Record<string, number>;
  unsettled: Record<string, number>;
  samples: Record<string, string[]>;
}

const SQL_FILE = fileURLToPath(new URL('./consistency.sql', import.meta.url));

/** Split consistency.sql into its `-- check: name` blocks (the fault suite's scripts/lib/consistency.mjs reads it the same way). */
export function loadConsistencyChecks(text = readFileSync(SQL_FILE, 'utf8')): ConsistencyCheck[] {
  return text
    .split(/^-- check: /m)
    .slice(1)
    .map((block) => ({
      name: block.slice(0, block.indexOf('\n')).trim(),
      kind: /^-- kind: unsettled$/m.test(block) ? ('unsettled' as const) : ('violation' as const),
      sql: block.slice(block.indexOf('\n') + 1).trim().replace(/;\s*$/, ''),
    }));
}

let checks: ConsistencyCheck[] | null = null;

/**
 * Run every consistency check over the database: sold seats and completed orders match one to one,
 * every succeeded charge has a completed order or a refund, no hold outlives its expiry plus
 * `holdGraceSeconds`, seat counts add up. A succeeded charge may wait `settleSeconds` for its refund.
 * Read-only; whole-database scans, so for a gauge or an operator, not a request path.
 */
export async function checkConsistency(db: Queryable, opts: { holdGraceSeconds?: number; settleSeconds?: number } = {}): Promise<ConsistencyReport> {
  checks ??= loadConsistencyChecks();
  const report: ConsistencyReport = { violations: {}, unsettled: {}, samples: {} };
  for (const check of checks) {
    const { rows } = await db.query<{ n: number; sample: string[] | null }>(check.sql, [opts.holdGraceSeconds ?? 30, opts.settleSeconds ?? 900]);
    const { n, sample } = rows[0]!;
    if (!n) continue;
    (check.kind === 'unsettled' ? report.unsettled : report.violations)[check.name] = n;
    report.samples[check.name] = sample ?? [];
  }
  return report;
}
