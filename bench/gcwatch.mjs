// Preload for a benchmarked API process: every 5 s prints (stderr) the event-loop delay p99/max,
// heap used and GC pauses by kind (count, total ms, max ms, pauses over 5 ms). Usage:
//   QUEUE_BENCH_NODE_FLAGS="--import $PWD/../../bench/gcwatch.mjs" npx tsx ../../bench/queue-bench.ts
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
const kinds = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
const agg = {};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const k = kinds[e.detail?.kind] ?? e.detail?.kind;
    const a = (agg[k] ??= { n: 0, total: 0, max: 0, over5: 0 });
    a.n++; a.total += e.duration; a.max = Math.max(a.max, e.duration); if (e.duration > 5) a.over5++;
  }
}).observe({ entryTypes: ['gc'] });
const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();
setInterval(() => {
  process.stderr.write(`[gcwatch] ${new Date().toISOString().slice(11, 19)} eld p99=${(h.percentile(99) / 1e6).toFixed(1)}ms max=${(h.max / 1e6).toFixed(1)}ms heap=${Math.round(process.memoryUsage().heapUsed / 1e6)}MB gc=${JSON.stringify(Object.fromEntries(Object.entries(agg).map(([k, v]) => [k, { n: v.n, tot: Math.round(v.total), max: Math.round(v.max), over5: v.over5 }])))}\n`);
  h.reset();
}, 5000).unref();
