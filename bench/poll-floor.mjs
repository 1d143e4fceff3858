#!/usr/bin/env node
// The bare-Node floor for the status-poll open loop of bench/queue-bench.ts: a plain node:http
// server in a child process answering a small QueueStatus-sized JSON body (no Express, no Redis),
// driven by the same open-loop client (RATE/s, 64 keep-alive sockets, 2 ms timer, 2 s warm-up,
// SECONDS long). Shows the p99 this box gives to any HTTP answer at that rate.
// REDIS=1: the server also makes one Redis round trip (a ZSCORE) per request, like the poll's script.
//   node bench/poll-floor.mjs        RATE (2000) SECONDS (20) REDIS (0) BENCH_REDIS_URL
import http from 'node:http';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === 'server') {
  const body = Buffer.from(JSON.stringify({ status: 'queued', position: 51234, aheadOfYou: 51233, estimatedWaitSeconds: 1537, pollAfterSeconds: 20, onSaleAt: new Date().toISOString() }));
  const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' };
  const { createRequire } = await import('node:module');
  const Redis = process.env.REDIS === '1' ? createRequire(new URL('../apps/api/package.json', import.meta.url))('ioredis') : null;
  const redis = Redis && new (Redis.default ?? Redis)(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const answer = (res) => { res.writeHead(200, headers); res.end(body); };
  const srv = http.createServer((_req, res) => { if (redis) redis.zscore('pollfloor:z', 'm').then(() => answer(res), () => answer(res)); else answer(res); }).listen(0, '127.0.0.1', () => process.send(srv.address().port));
} else {
  const RATE = Number(process.env.RATE ?? 2000);
  const SECONDS = Number(process.env.SECONDS ?? 20);
  const child = fork(fileURLToPath(import.meta.url), ['server']);
  const port = await new Promise((r) => child.once('message', r));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const get = () => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/api/v1/events/x/queue', agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
  });
  const lat = [];
  let sent = 0, inflight = 0;
  const start = performance.now();
  const warm = start + 2000;
  await new Promise((resolve) => {
    const t = setInterval(() => {
      const elapsed = performance.now() - start;
      if (elapsed >= SECONDS * 1000) { clearInterval(t); const w = setInterval(() => { if (!inflight) { clearInterval(w); resolve(); } }, 10); return; }
      const due = Math.floor((elapsed / 1000) * RATE);
      while (sent < due) {
        sent++; inflight++;
        const s = performance.now();
        get().then(() => { inflight--; if (s >= warm) lat.push(performance.now() - s); }, () => { inflight--; });
      }
    }, 2);
  });
  lat.sort((a, b) => a - b);
  const p = (q) => Math.round(lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] * 1000) / 1000;
  const os = await import('node:os');
  console.log(JSON.stringify({ rate: RATE, redis: process.env.REDIS === '1', completed: lat.length, perSecond: Math.round(lat.length / (SECONDS - 2)), p50ms: p(0.5), p90ms: p(0.9), p99ms: p(0.99), maxms: p(1), loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10) }));
  agent.destroy();
  child.kill();
}
