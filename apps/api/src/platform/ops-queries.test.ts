import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/context.js';
import { observePools, observeRedis } from './metrics.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const FUNCTIONS_AND_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** Metric names and label names a PromQL expression refers to (enough PromQL for ours). */
function promqlNames(expr: string): { metrics: string[]; labels: string[] } {
  const labels: string[] = [];
  let e = expr.replace(/\$__\w+|\$\w+/g, '1m');
  e = e.replace(/\{([^}]*)\}/g, (_, inner: string) => {
    for (const m of inner.matchAll(/([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g)) labels.push(m[1]!);
    return ' ';
  });
  e = e.replace(/"(?:[^"\\]|\\.)*"/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, _kw, inner: string) => {
    labels.push(...inner.split(',').map((s) => s.trim()).filter(Boolean));
    return ' ';
  });
  const metrics = [...e.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)].map((m) => m[1]!).filter((n) => !FUNCTIONS_AND_KEYWORDS.has(n.toLowerCase()));
  return { metrics, labels };
}

/** Every `expr:` of a Prometheus rule file (block or one-line form). */
function ruleExpressions(yaml: string): string[] {
  const out: string[] = [];
  const lines = yaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)expr:\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    if (m[2] !== '|' && m[2] !== '>') {
      out.push(m[2]!);
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || lines[i + 1]!.search(/\S/) > m[1]!.length)) body.push(lines[++i]!);
    out.push(body.join('\n'));
  }
  return out;
}

let ctx: TestContext;
/** name → labels (with `le` for histograms and the registry's default `instance`). */
let registered: Map<string, Set<string>>;

beforeAll(async () => {
  ctx = await createTestContext();
  // Everything main.ts registers: the app's modules and their workers (createApp), the pool and Redis gauges.
  observePools(ctx.deps.metrics, { main: ctx.db, holds: ctx.deps.holdsDb });
  observeRedis(ctx.deps.metrics, { main: ctx.redis });
  registered = new Map();
  for (const metric of ctx.deps.metrics.registry.getMetricsAsArray()) {
    const m = metric as unknown as { name: string; labelNames?: string[]; get: () => Promise<{ type: string }> };
    const labels = new Set([...(m.labelNames ?? []), 'instance']);
    const type = (await m.get()).type;
    if (type === 'histogram') {
      for (const suffix of ['_bucket', '_count', '_sum']) registered.set(`${m.name}${suffix}`, suffix === '_bucket' ? new Set([...labels, 'le']) : labels);
    } else registered.set(m.name, labels);
  }
});
afterAll(async () => {
  await ctx.close();
});

function unknownNames(expr: string): string[] {
  const { metrics, labels } = promqlNames(expr);
  const problems = metrics.filter((n) => !registered.has(n)).map((n) => `metric ${n}`);
  const known = new Set(metrics.flatMap((n) => [...(registered.get(n) ?? [])]));
  problems.push(...labels.filter((l) => !known.has(l)).map((l) => `label ${l}`));
  return problems;
}

describe('alert rules and dashboard queries', () => {
  it('when the PromQL parser reads a query, then it finds its metric and label names', () => {
    expect(promqlNames('sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~".*/stream"}[$__rate_interval])) > 0.5')).toEqual({
      metrics: ['http_request_duration_seconds_bucket'],
      labels: ['route', 'le', 'route'],
    });
    expect(promqlNames('time() - max(oversell_check_last_success_timestamp_seconds) > 600').metrics).toEqual(['oversell_check_last_success_timestamp_seconds']);
  });

  it('when ops/prometheus/alerts.yml is read, then every rule names only metrics and labels the API registers', () => {
    expect(unknownNames('sum by (reason) (rate(no_such_metric_total{event_id="x"}[5m]))')).toEqual(['metric no_such_metric_total', 'label event_id', 'label reason']);
    const exprs = ruleExpressions(readFileSync(path.join(root, 'ops/prometheus/alerts.yml'), 'utf8'));
    expect(exprs.length).toBeGreaterThanOrEqual(6);
    expect(Object.fromEntries(exprs.map((e) => [e.trim(), unknownNames(e)] as const).filter(([, p]) => p.length))).toEqual({});
  });

  it('when ops/grafana/ticketing.json is read, then it has the seed panels and every query names only metrics and labels the API registers', () => {
    const dash = JSON.parse(readFileSync(path.join(root, 'ops/grafana/ticketing.json'), 'utf8')) as {
      panels: { title: string; type: string; targets?: { expr: string }[] }[];
      templating: { list: { query?: string | { query: string } }[] };
    };
    const titles = dash.panels.map((p) => p.title);
    for (const t of ['Minutes to sell-out', 'Checkout success rate', 'p95 checkout', 'Queue length', 'Admission rate', 'Lock conflicts']) expect(titles).toContain(t);
    const exprs = dash.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThan(10);
    const varQueries = dash.templating.list.map((v) => (typeof v.query === 'object' ? v.query.query : undefined)).filter((q): q is string => !!q);
    const labelValues = varQueries.map((q) => /^label_values\((\w+),\s*(\w+)\)$/.exec(q)).filter((m) => m !== null);
    expect(labelValues.length).toBe(varQueries.length);
    const problems = Object.fromEntries(
      [...exprs.map((e) => [e, unknownNames(e)] as const), ...labelValues.map((m) => [m[0], unknownNames(`${m[1]}{${m[2]}="x"}`)] as const)].filter(([, p]) => p.length),
    );
    expect(problems).toEqual({});
  });
});
