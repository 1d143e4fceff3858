#!/usr/bin/env node
// The floor for bench/holds-bench.mjs part (a): what this box gives to ANY server that makes the
// same network hops as a hold, with none of our code. A plain node:http server in a child process
// answers each POST after: one Redis GET (the session read), one Redis SET NX PX (the seat lock),
// one PostgreSQL single-row UPDATE … RETURNING on a scratch table (asynchronous commit, like the
// holds pool), then a Redis DEL written without waiting (the unlock/snapshot write) — and then a
// ~600-byte JSON answer. Driven by the same sequential keep-alive node:http client as holds-bench.
//   node bench/hold-floor.mjs      ITERATIONS (3000) BENCH_DATABASE_URL BENCH_REDIS_URL
import http from 'node:http';
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(new URL('../apps/api/package.json', import.meta.url));
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/ticketing_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

if (process.argv[2] === 'server') {
  const pg = require('pg');
  const { Redis } = require('ioredis');
  const db = new pg.Pool({ connectionString: DB_URL, max: 2, options: '-c synchronous_commit=off' });
  const redis = new Redis(REDIS_URL);
  await db.query('CREATE TABLE IF NOT EXISTS bench_hold_floor (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)');
  await db.query('INSERT INTO bench_hold_floor (id) SELECT g FROM generate_series(0, 999) g ON CONFLICT DO NOTHING');
  await redis.set('holdfloor:session', JSON.stringify({ cookie: { originalMaxAge: 604800000 }, userId: 'u', role: 'user' }));
  const body = Buffer.from(JSON.stringify({ id: '00000000-0000-4000-8000-000000000000', eventId: 'e', expiresAt: new Date().toISOString(), pad: 'x'.repeat(480) }));
  let i = 0;
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      JSON.parse(Buffer.concat(chunks).toString() || '{}');
      const k = i++ % 1000;
      await redis.get('holdfloor:session');
      await redis.set(`holdfloor:lock:${k}`, 'token', 'PX', 60_000, 'NX');
      await db.query({ name: 'floor', text: 'UPDATE bench_hold_floor SET n = n + 1 WHERE id = $1 RETURNING n', values: [k] });
      void redis.del(`holdfloor:lock:${k}`);
      res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
      res.end(body);
    });
  });
  srv.listen(0, '127.0.0.1', () => process.send(srv.address().port));
} else {
  const N = Number(process.env.ITERATIONS ?? 3000);
  const child = fork(fileURLToPath(import.meta.url), ['server']);
  const port = await new Promise((r) => child.once('message', r));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = () =>
    new Promise((resolve, reject) => {
      const data = JSON.stringify({ seatIds: ['00000000-0000-4000-8000-000000000001'] });
      const req = http.request(
        { host: '127.0.0.1', port, path: '/holds', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), cookie: 'tk.sid=s%3Aabc.def' } },
        (res) => {
          const c = [];
          res.on('data', (x) => c.push(x));
          res.on('end', () => resolve(Buffer.concat(c).toString()));
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  const lat = [];
  for (let j = 0; j < N + 300; j++) {
    const t = performance.now();
    JSON.parse(await post());
    if (j >= 300) lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  const p = (q) => Math.round(lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] * 1000) / 1000;
  const os = await import('node:os');
  console.log(JSON.stringify({ iterations: N, p50ms: p(0.5), p90ms: p(0.9), p99ms: p(0.99), maxms: p(1), loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10) }));
  agent.destroy();
  child.kill();
}
