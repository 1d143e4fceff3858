#!/usr/bin/env node
// Seat inventory benchmark against ONE running API instance (see bench/README.md for the commands).
//   (a) uncontended hold: one user holds one seat then releases it, sequentially, on a 20,000-seat event
//   (b) GET availability on that event with ~50 concurrent keep-alive connections; bytes per response; 304 check
//   (c) uncontended checkout: hold one seat then check it out (card 4242…, the API's simulated
//       provider and its latency), sequentially; CHECKOUT_ITERATIONS (200, 0 = skip)
// Creates its own event straight in the bench database (BENCH_DATABASE_URL), registers its own user via the API.
// Env: API_URL (http://127.0.0.1:3917), BENCH_DATABASE_URL (postgres://root@127.0.0.1:5432/ticketing_bench),
//      HOLD_ITERATIONS (2000), AVAIL_SECONDS (10), AVAIL_CONNECTIONS (50), AVAIL_THREADS (2), SEATS (20000)
// The availability load runs in AVAIL_THREADS worker threads (connections split between them) so the
// client is not the bottleneck; it only counts bytes, it does not parse the bodies.
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { cpuMsOfPids, cpuMsOfProcessesNamed } from './lib/proc-cpu.mjs';

const require = createRequire(new URL('../apps/api/package.json', import.meta.url));
const pg = require('pg');

const API = new URL(process.env.API_URL ?? 'http://127.0.0.1:3917');
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/ticketing_bench';
const HOLD_ITERATIONS = Number(process.env.HOLD_ITERATIONS ?? 2000);
const AVAIL_SECONDS = Number(process.env.AVAIL_SECONDS ?? 10);
const AVAIL_CONNECTIONS = Number(process.env.AVAIL_CONNECTIONS ?? 50);
const SEATS = Number(process.env.SEATS ?? 20000);
const AVAIL_THREADS = Number(process.env.AVAIL_THREADS ?? 2);
const CHECKOUT_ITERATIONS = Number(process.env.CHECKOUT_ITERATIONS ?? 200);
// hold + release pairs before part (a) measures, so the figures describe a warmed-up server (V8
// keeps optimising the request path for a few thousand requests), as in a real on-sale
const HOLD_WARMUP = Number(process.env.HOLD_WARMUP ?? 2000);
// Optional: the API's process id, to report its CPU time per request (a figure that does not depend on
// how busy the rest of the machine is, unlike latency and req/s on a shared box).
const API_PID = process.env.API_PID ? Number(process.env.API_PID) : null;

/** CPU time (user + system, ms) used so far by the API process, or null. */
async function apiCpuMs() {
  return API_PID ? cpuMsOfPids([API_PID]) : null;
}

/** CPU time (ms) of every PostgreSQL process on this machine (all backends), or null off Linux. */
const postgresCpuMs = () => cpuMsOfProcessesNamed('postgres');

const agent = new http.Agent({ keepAlive: true, maxSockets: AVAIL_CONNECTIONS + 5 });

/** One HTTP request over the keep-alive agent; resolves with status, headers, body and its byte length. */
function call(method, path, { cookie, body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: API.hostname,
        port: API.port,
        path,
        method,
        agent,
        headers: {
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
          ...(cookie ? { cookie } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode, headers: res.headers, bytes: buf.length, text: buf.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { n: s.length, p50: +pct(s, 50).toFixed(3), p90: +pct(s, 90).toFixed(3), p99: +pct(s, 99).toFixed(3), max: +s[s.length - 1].toFixed(3), mean: +mean.toFixed(3) };
}
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** A 20,000-seat event (20 sections × 20 rows × 50 seats by default), on sale, 50 tickets per user. */
async function createEvent(db) {
  const perRow = 50;
  const rowsPerSection = 20;
  const sections = Math.ceil(SEATS / (perRow * rowsPerSection));
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const v = await client.query(`INSERT INTO venues (name, city) VALUES ('Bench Arena', 'Benchville') RETURNING id`);
    const e = await client.query(
      `INSERT INTO events (venue_id, name, category, starts_at, on_sale_at, max_tickets_per_user)
       VALUES ($1, $2, 'concert', now() + interval '30 days', now() - interval '1 hour', 50) RETURNING id`,
      [v.rows[0].id, `Bench ${new Date().toISOString()}`],
    );
    const eventId = e.rows[0].id;
    let index = 0;
    for (let si = 0; si < sections; si++) {
      const s = await client.query(
        `INSERT INTO event_sections (event_id, position, name, price_tier, price_cents) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [eventId, si, `S${si + 1}`, Math.min(20, 1 + Math.floor(si / 4)), 10000 - si * 100],
      );
      const rows = Math.min(rowsPerSection, Math.ceil((SEATS - index) / perRow));
      await client.query(
        `INSERT INTO event_seats (event_id, section_id, seat_index, row_label, row_position, number, seat_position, x, y)
         SELECT $1, $2, $3 + r * $5 + n, 'R' || (r + 1), r, (n + 1)::text, n, n * 10 + $6 * 520, r * 10
           FROM generate_series(0, $4 - 1) r, generate_series(0, $5 - 1) n`,
        [eventId, s.rows[0].id, index, rows, perRow, si],
      );
      index += rows * perRow;
    }
    await client.query('COMMIT');
    const { rows } = await db.query('SELECT id FROM event_seats WHERE event_id = $1 ORDER BY seat_index', [eventId]);
    return { eventId, seatIds: rows.map((r) => r.id) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Sequential `GET /health` (no session, no database): what this box gives the cheapest request, for comparing runs. */
async function benchHealth(n = 1000) {
  const ms = [];
  for (let i = 0; i < 200 + n; i++) {
    const t0 = now();
    const r = await call('GET', '/health');
    if (r.status !== 200) throw new Error(`health: ${r.status}`);
    if (i >= 200) ms.push(now() - t0);
  }
  return summary(ms);
}

async function register() {
  const email = `bench.${Date.now().toString(36)}.${randomBytes(3).toString('hex')}@example.test`;
  const res = await call('POST', '/api/v1/auth/register', { body: { email, password: 'bench-password-42', name: 'Bench' } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text} (start the API with raised rate limits: bench/README.md)`);
  return String(res.headers['set-cookie'][0]).split(';')[0];
}

async function benchHolds(eventId, seatIds, cookie) {
  const holdMs = [];
  const releaseMs = [];
  const warmup = HOLD_WARMUP;
  let cpu0 = null;
  let pg0 = null;
  // HOLD_TRACE=file: every measured pair as [epoch ms at start, hold ms, release ms] (to line up with API-side traces)
  const trace = process.env.HOLD_TRACE ? [] : null;
  for (let i = 0; i < warmup + HOLD_ITERATIONS; i++) {
    if (i === warmup) [cpu0, pg0] = [await apiCpuMs(), await postgresCpuMs()];
    const seat = seatIds[(i * 7919) % seatIds.length];
    const e0 = trace ? Date.now() : 0;
    const t0 = now();
    const h = await call('POST', `/api/v1/events/${eventId}/holds`, { cookie, body: { seatIds: [seat] } });
    const t1 = now();
    if (h.status !== 201) throw new Error(`hold ${i}: ${h.status} ${h.text}`);
    const id = JSON.parse(h.text).id;
    const d = await call('DELETE', `/api/v1/holds/${id}`, { cookie });
    const t2 = now();
    if (d.status !== 204) throw new Error(`release ${i}: ${d.status} ${d.text}`);
    if (i >= warmup) {
      if (trace) trace.push([e0, t1 - t0, t2 - t1]);
      holdMs.push(t1 - t0);
      releaseMs.push(t2 - t1);
    }
  }
  const cpu1 = await apiCpuMs();
  const pg1 = await postgresCpuMs();
  if (trace) writeFileSync(process.env.HOLD_TRACE, JSON.stringify(trace));
  return {
    hold: summary(holdMs),
    release: summary(releaseMs),
    ...(cpu0 !== null ? { apiCpuMsPerHoldPlusRelease: +((cpu1 - cpu0) / HOLD_ITERATIONS).toFixed(3) } : {}),
    ...(pg0 !== null ? { postgresCpuMsPerHoldPlusRelease: +((pg1 - pg0) / HOLD_ITERATIONS).toFixed(3) } : {}),
  };
}

const CARD = { cardNumber: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123', name: 'Bench' };

/** (c) hold one seat, then check it out; a new user every 40 purchases (the event's limit is 50 per user). */
async function benchCheckouts(eventId, seatIds) {
  const users = [];
  for (let i = 0; i < Math.ceil((CHECKOUT_ITERATIONS + 20) / 40); i++) users.push(await register());
  const holdMs = [];
  const checkoutMs = [];
  const warmup = Math.min(20, CHECKOUT_ITERATIONS);
  let cpu0 = null;
  let pg0 = null;
  for (let i = 0; i < warmup + CHECKOUT_ITERATIONS; i++) {
    if (i === warmup) [cpu0, pg0] = [await apiCpuMs(), await postgresCpuMs()];
    const cookie = users[Math.floor(i / 40)];
    const seat = seatIds[seatIds.length - 1 - i]; // from the back: part (a) used seats spread over the event, all released
    const t0 = now();
    const h = await call('POST', `/api/v1/events/${eventId}/holds`, { cookie, body: { seatIds: [seat] } });
    const t1 = now();
    if (h.status !== 201) throw new Error(`checkout hold ${i}: ${h.status} ${h.text}`);
    const c = await call('POST', '/api/v1/checkout', { cookie, body: { holdId: JSON.parse(h.text).id, payment: CARD }, headers: { 'idempotency-key': randomBytes(16).toString('hex') } });
    const t2 = now();
    if (c.status !== 201) throw new Error(`checkout ${i}: ${c.status} ${c.text}`);
    if (i >= warmup) {
      holdMs.push(t1 - t0);
      checkoutMs.push(t2 - t1);
    }
  }
  const cpu1 = await apiCpuMs();
  const pg1 = await postgresCpuMs();
  return {
    hold: summary(holdMs),
    checkout: summary(checkoutMs),
    ...(cpu0 !== null ? { apiCpuMsPerHoldPlusCheckout: +((cpu1 - cpu0) / CHECKOUT_ITERATIONS).toFixed(3) } : {}),
    ...(pg0 !== null ? { postgresCpuMsPerHoldPlusCheckout: +((pg1 - pg0) / CHECKOUT_ITERATIONS).toFixed(3) } : {}),
  };
}

/** Load loop of one worker thread: `connections` keep-alive connections GETting `path` until `end`. */
async function availabilityLoad({ path, connections, end }) {
  const a = new http.Agent({ keepAlive: true, maxSockets: connections });
  const lat = [];
  let bytes = 0;
  let errors = 0;
  const get = () =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: API.hostname, port: API.port, path, method: 'GET', agent: a }, (res) => {
        let n = 0;
        res.on('data', (c) => (n += c.length));
        res.on('end', () => resolve({ status: res.statusCode, bytes: n }));
      });
      req.on('error', reject);
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const t0 = now();
        const r = await get();
        lat.push(now() - t0);
        if (r.status !== 200) errors++;
        bytes += r.bytes;
      }
    }),
  );
  a.destroy();
  return { lat, bytes, errors };
}

async function benchAvailability(eventId, path = `/api/v1/events/${eventId}/availability`) {
  const first = await call('GET', path);
  if (first.status !== 200) throw new Error(`availability: ${first.status}`);
  const etag = first.headers.etag;
  const notModified = await call('GET', path, { headers: { 'if-none-match': etag } });
  const body = JSON.parse(first.text);
  // warm up
  await Promise.all(Array.from({ length: AVAIL_CONNECTIONS }, () => call('GET', path)));
  const end = Date.now() + AVAIL_SECONDS * 1000;
  const cpu0 = await apiCpuMs();
  const started = now();
  const per = Math.ceil(AVAIL_CONNECTIONS / AVAIL_THREADS);
  const parts = await Promise.all(
    Array.from(
      { length: AVAIL_THREADS },
      (_, i) =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), { workerData: { path, connections: Math.min(per, AVAIL_CONNECTIONS - i * per), end } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const seconds = (now() - started) / 1000;
  const cpu1 = await apiCpuMs();
  const lat = parts.flatMap((p) => p.lat);
  const bytes = parts.reduce((s, p) => s + p.bytes, 0);
  return {
    seats: body.statuses.length,
    connections: AVAIL_CONNECTIONS,
    threads: AVAIL_THREADS,
    seconds: +seconds.toFixed(2),
    requests: lat.length,
    reqPerSec: Math.round(lat.length / seconds),
    latencyMs: summary(lat),
    bytesPerResponse: Math.round(bytes / lat.length),
    errors: parts.reduce((s, p) => s + p.errors, 0),
    ...(cpu0 !== null
      ? {
          apiCpuMsPerRequest: +((cpu1 - cpu0) / lat.length).toFixed(3),
          apiCpuBoundReqPerSecPerCore: Math.round(lat.length / ((cpu1 - cpu0) / 1000)),
        }
      : {}),
    etag,
    ifNoneMatchStatus: notModified.status,
    notModifiedBytes: notModified.bytes,
  };
}

async function main() {
  if (process.env.ONLY_AVAIL_PATH) {
    // Load generator only, against any URL (e.g. bench/http-floor.mjs, the bare-Node floor).
    console.error(`(b) only: GET ${API.origin}${process.env.ONLY_AVAIL_PATH}, ${AVAIL_CONNECTIONS} connections × ${AVAIL_SECONDS}s …`);
    const availability = await benchAvailability(null, process.env.ONLY_AVAIL_PATH);
    agent.destroy();
    console.log(JSON.stringify({ api: API.origin, availability }, null, 2));
    return;
  }
  const db = new pg.Pool({ connectionString: DB_URL, max: 4 });
  console.error(`creating a ${SEATS}-seat event in ${DB_URL.replace(/\/\/[^@]*@/, '//')} …`);
  const { eventId, seatIds } = await createEvent(db);
  await db.end();
  const cookie = await register();
  // The box's own speed in the same run: the same client, the same socket, the cheapest route.
  console.error('(0) GET /health × 1000 (sequential) …');
  const health = await benchHealth();
  console.error(`(a) hold + release × ${HOLD_ITERATIONS} (sequential, one user) …`);
  const holds = await benchHolds(eventId, seatIds, cookie);
  let availability;
  if (AVAIL_SECONDS > 0) {
    console.error(`(b) GET availability, ${AVAIL_CONNECTIONS} connections × ${AVAIL_SECONDS}s …`);
    availability = await benchAvailability(eventId);
  }
  let checkouts;
  if (CHECKOUT_ITERATIONS > 0) {
    console.error(`(c) hold + checkout × ${CHECKOUT_ITERATIONS} (sequential) …`);
    checkouts = await benchCheckouts(eventId, seatIds);
  }
  agent.destroy();
  console.log(JSON.stringify({ api: API.origin, eventId, healthMs: health, holdsMs: holds, ...(availability ? { availability } : {}), ...(checkouts ? { checkoutMs: checkouts } : {}) }, null, 2));
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  availabilityLoad(workerData).then((r) => parentPort.postMessage(r));
}
