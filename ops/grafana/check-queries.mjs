#!/usr/bin/env node
// Checks the PromQL syntax of every query in ops/grafana/ticketing.json with promtool: the
// queries (Grafana variables replaced by sample values) become recording rules of a temporary
// rule file for `promtool check rules`. Run by scripts/test.mjs; metric and label names are
// checked against the API's registry by apps/api/src/platform/ops-queries.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dash = JSON.parse(readFileSync(path.join(here, 'ticketing.json'), 'utf8'));
const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
const sample = (e) => e.replace(/\$__rate_interval|\$__interval/g, '5m').replace(/\$event_id/g, '.*');
const rules = ['groups:', '  - name: dashboard', '    rules:'];
exprs.forEach((e, i) => {
  rules.push(`      - record: dashboard:query_${i}`, '        expr: |');
  for (const line of sample(e).split('\n')) rules.push(`          ${line}`);
});
const dir = mkdtempSync(path.join(tmpdir(), 'dashboard-promql-'));
try {
  const file = path.join(dir, 'dashboard.rules.yml');
  writeFileSync(file, `${rules.join('\n')}\n`);
  const r = spawnSync('promtool', ['check', 'rules', file], { stdio: 'inherit' });
  if (r.error) throw r.error;
  console.log(`${exprs.length} dashboard queries checked`);
  process.exit(r.status ?? 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
