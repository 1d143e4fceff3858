#!/usr/bin/env node
// Flash-sale benchmark: starts its own API instances on a throwaway database, then 500 fans
// (registered and signed in BEFORE the clock starts) rush a 1,000-seat event. Half aim at the
// same front 100 seats; after a conflict a fan retries up to 3 times with best available
// ({ quantity }). Some abandon (DELETE the hold), some double-submit checkout with one key to two
// instances. Reports holds/s, checkouts/s, p50/p95/p99 per operation, 5xx count, fans left
// empty-handed while seats remained, and an oversell / double-charge check against the database.
//
//   node bench/flash-sale.mjs                     # defaults below
//   FANS=500 SEATS=1000 INSTANCES=2 ARRIVAL_MS=0 node bench/flash-sale.mjs
//
// Env: FANS (500), SEATS (1000, multiple of 50), HOT (100), INSTANCES (2), RETRIES (3),
//      ARRIVAL_MS (2000: fans arrive uniformly over this window; 0 = all in the same instant),
//      ABANDON_PCT (10), DOUBLE_PCT (10), PAYMENT_LATENCY_MS (20), KEEP_DB (unset: drop the DB at the end),
//      WARMUP (400: hold/release/best-available/checkout rounds per instance on a separate event before
//      the clock, so the sale meets servers that have been running, JIT-compiled; 0 = cold servers),
//      API_NODE_FLAGS (extra node flags for the API instances, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p")
import http from 'node:http';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { startStack } from '../scripts/stack.mjs';
import { cpuMsOfPids, cpuMsOfProcessesNamed } from './lib/proc-cpu.mjs';
import { RAISED_RATE_LIMITS } from './lib/raised-limits.mjs';

const require = createRequire(new URL('../apps/api/package.json', import.meta.url));
const pg = require('pg');
const { Redis } = require('ioredis');

const FANS = Number(process.env.FANS ?? 500);
const SEATS = Number(process.env.SEATS ?? 1000);
const HOT = Number(process.env.HOT ?? 100);
const INSTANCES = Number(process.env.INSTANCES ?? 2);
const RETRIES = Number(process.env.RETRIES ?? 3);
const ARRIVAL_MS = Number(process.env.ARRIVAL_MS ?? 2000);
const ABANDON_PCT = Number(process.env.ABANDON_PCT ?? 10);
const DOUBLE_PCT = Number(process.env.DOUBLE_PCT ?? 10);
const WARMUP = Number(process.env.WARMUP ?? 400);
const WARMUP_CONCURRENCY = Number(process.env.WARMUP_CONCURRENCY ?? 8);
const PER_ROW = 50;
const RUN = `${Date.now().toString(36)}`;
const DB_NAME = `ticketing_flash_${RUN}`;
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const DB_URL = Object.assign(new URL(ADMIN_URL), { pathname: `/${DB_NAME}` }).toString();
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `bench:flash:${RUN}:`;
const CARD = { cardNumber: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123', name: 'Fan' };

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const now = () => Number(process.hrtime.bigint()) / 1e6;
const rand = (n) => Math.floor(Math.random() * n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function call(base, method, path, { cookie, body, headers = {} } = {}) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
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
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode, headers: res.headers, body: json });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const pct = (s, p) => (s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN);
function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: +pct(s, 50).toFixed(1), p95: +pct(s, 95).toFixed(1), p99: +pct(s, 99).toFixed(1), max: s.length ? +s[s.length - 1].toFixed(1) : NaN };
}

/**
 * Server-side latency from the instances' own `http_request_duration_seconds` histograms (summed
 * over instances): time inside Node from the first middleware to the response, i.e. without the
 * client-side and accept queueing that dominates on a saturated box. Quantiles interpolated in buckets.
 */
async function serverSideLatency(bases) {
  const groups = new Map();
  for (const base of bases) {
    const r = await new Promise((resolve, reject) => {
      http.get(`${base}/metrics`, { agent }, (res) => {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => resolve(t));
      }).on('error', reject);
    });
    for (const line of r.split('\n')) {
      const m = /^http_request_duration_seconds_bucket\{(.*)\} (\d+(?:\.\d+)?)$/.exec(line);
      if (!m) continue;
      const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      const key = `${labels.method} ${labels.route} ${labels.status}`;
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      const g = groups.get(key) ?? new Map();
      g.set(le, (g.get(le) ?? 0) + Number(m[2]));
      groups.set(key, g);
    }
  }
  const out = {};
  for (const [key, g] of groups) {
    if (!/holds|checkout/.test(key)) continue;
    const buckets = [...g].sort((a, b) => a[0] - b[0]);
    const total = buckets[buckets.length - 1][1];
    if (!total) continue;
    const q = (p) => {
      const target = p * total;
      let prevLe = 0;
      let prevCount = 0;
      for (const [le, count] of buckets) {
        if (count >= target) {
          if (le === Infinity) return `>${prevLe * 1000}`;
          return +((prevLe + ((le - prevLe) * (target - prevCount)) / Math.max(1, count - prevCount)) * 1000).toFixed(1);
        }
        prevLe = le;
        prevCount = count;
      }
      return NaN;
    };
    out[key] = { n: total, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
  }
  return out;
}

/** A 1,000-seat event: rows of 50; the first HOT seats (indexes 0..HOT-1) are the front rows. */
async function createEvent(db) {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const v = await client.query(`INSERT INTO venues (name, city) VALUES ('Flash Arena', 'Benchville') RETURNING id`);
    const e = await client.query(
      `INSERT INTO events (venue_id, name, category, starts_at, on_sale_at, max_tickets_per_user)
       VALUES ($1, 'Flash sale', 'concert', now() + interval '30 days', now() - interval '1 minute', 8) RETURNING id`,
      [v.rows[0].id],
    );
    const eventId = e.rows[0].id;
    const sections = [
      { name: 'Front', rows: HOT / PER_ROW, price: 15000 },
      { name: 'Floor', rows: (SEATS - HOT) / PER_ROW, price: 8000 },
    ];
    let index = 0;
    for (const [si, s] of sections.entries()) {
      const sec = await client.query(
        `INSERT INTO event_sections (event_id, position, name, price_tier, price_cents) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [eventId, si, s.name, si + 1, s.price],
      );
      await client.query(
        `INSERT INTO event_seats (event_id, section_id, seat_index, row_label, row_position, number, seat_position, x, y)
         SELECT $1, $2, $3 + r * $5 + n, 'R' || (r + 1), r, (n + 1)::text, n, n * 10, ($6 * 1000) + r * 10
           FROM generate_series(0, $4 - 1) r, generate_series(0, $5 - 1) n`,
        [eventId, sec.rows[0].id, index, s.rows, PER_ROW, si],
      );
      index += s.rows * PER_ROW;
    }
    await client.query('COMMIT');
    const seats = await db.query('SELECT id FROM event_seats WHERE event_id = $1 ORDER BY seat_index', [eventId]);
    return { eventId, seatIds: seats.rows.map((r) => r.id) };
  } finally {
    client.release();
  }
}

/**
 * WARMUP rounds per instance on a separate event, before the clock: an explicit hold (sometimes a
 * conflict), then a release, a best-available replacement, or a checkout. Returns the request count.
 */
async function warmUp(db, bases, fans) {
  if (!WARMUP) return 0;
  const ev = await createEvent(db);
  let requests = 0;
  const round = async (k) => {
    const fan = fans[k % fans.length];
    const base = bases[k % bases.length];
    const seat = ev.seatIds[rand(ev.seatIds.length)];
    const h = await call(base, 'POST', `/api/v1/events/${ev.eventId}/holds`, { cookie: fan.cookie, body: { seatIds: [seat] } });
    requests++;
    if (h.status !== 201) return;
    const next = k % 4;
    if (next === 0) await call(base, 'DELETE', `/api/v1/holds/${h.body.id}`, { cookie: fan.cookie });
    else if (next === 1) await call(base, 'POST', `/api/v1/events/${ev.eventId}/holds`, { cookie: fan.cookie, body: { quantity: 1 + rand(3) } });
    else if (next === 2) {
      await call(base, 'POST', '/api/v1/checkout', { cookie: fan.cookie, body: { holdId: h.body.id, payment: CARD }, headers: { 'idempotency-key': randomUUID() } });
    } else await call(base, 'GET', `/api/v1/events/${ev.eventId}/availability`);
    requests++;
  };
  const total = WARMUP * bases.length;
  let next = 0;
  await Promise.all(
    Array.from({ length: WARMUP_CONCURRENCY * bases.length }, async () => {
      while (next < total) await round(next++);
    }),
  );
  // Free the warm-up holds so the fans start the sale without one (the event is another anyway).
  await db.query(`UPDATE holds SET status = 'released', ended_at = now() WHERE event_id = $1 AND status = 'active'`, [ev.eventId]);
  await db.query(
    `UPDATE event_seats SET status = 'available', hold_id = NULL, holder_user_id = NULL, held_until = NULL WHERE event_id = $1 AND status = 'held'`,
    [ev.eventId],
  );
  return requests;
}

async function main() {
  console.log(`flash-sale: ${FANS} fans, ${SEATS} seats (${HOT} hot), ${INSTANCES} instance(s), arrival window ${ARRIVAL_MS} ms, db ${DB_NAME}`);
  const stack = await startStack({
    databaseUrl: DB_URL,
    redisUrl: REDIS_URL,
    redisKeyPrefix: PREFIX,
    basePort: 0,
    frontPort: 0,
    instances: INSTANCES,
    migrate: true,
    frontDoor: 'node',
    output: 'ignore',
    nodeArgs: (process.env.API_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    env: {
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
      TICKET_SECRET: 'bench-ticket-secret-0123456789abcdef',
      ...RAISED_RATE_LIMITS,
      LOG_LEVEL: 'warn',
      BCRYPT_ROUNDS: '4',
      DATABASE_POOL_SIZE: '20',
      SIMULATED_PAYMENT_LATENCY_MS: process.env.PAYMENT_LATENCY_MS ?? '20',
    },
  });
  const bases = stack.instances.map((i) => i.url);
  const db = new pg.Pool({ connectionString: DB_URL, max: 4 });
  const redis = new Redis(REDIS_URL, { keyPrefix: PREFIX });
  try {
    const ev = await createEvent(db);

    // --- before the clock: register (= signed in) every fan ---------------------------------
    const fans = [];
    for (let i = 0; i < FANS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, FANS - i) }, async (_, k) => {
          const base = bases[(i + k) % bases.length];
          const r = await call(base, 'POST', '/api/v1/auth/register', { body: { email: `fan${i + k}.${RUN}@bench.test`, password: 'bench-password-1', name: `Fan ${i + k}` } });
          if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
          const cookie = String(r.headers['set-cookie']?.find((c) => c.startsWith('tk.sid=')) ?? '').split(';')[0];
          return { i: i + k, base, cookie };
        }),
      );
      fans.push(...batch);
    }
    // Servers in a real on-sale have been up for a while: warm every request path (and the JIT) on
    // another event first, 8 in flight per instance. Its orders and charges are left out below.
    const warmed = await warmUp(db, bases, fans);
    const chargesBefore = Number((await redis.get('simpay:{ledger}:charges')) ?? 0);
    const refundsBefore = Number((await redis.get('simpay:{ledger}:refunds')) ?? 0);
    // Warm the seat map / snapshot caches once, as the first page view would.
    await call(bases[0], 'GET', `/api/v1/events/${ev.eventId}/availability`);
    for (const b of bases) await call(b, 'GET', `/api/v1/events/${ev.eventId}/seatmap`);

    // --- the sale ------------------------------------------------------------------------------
    const lat = { hold: [], holdBest: [], conflict: [], conflictBest: [], checkout: [], release: [] };
    const statuses = {};
    const conflictCodes = {};
    const count = (s) => (statuses[s] = (statuses[s] ?? 0) + 1);
    let holdsOk = 0;
    let checkoutsOk = 0;
    let emptyWhileSeats = 0;
    let emptyHanded = 0;
    let abandoned = 0;
    let doubleSubmits = 0;
    const keyOrders = new Map();

    const cpu0 = { api: await cpuMsOfPids(stack.instances.map((i) => i.pid)), pg: await cpuMsOfProcessesNamed('postgres'), redis: await cpuMsOfProcessesNamed('redis-server'), client: process.cpuUsage() };
    const t0 = now();
    await Promise.all(
      fans.map(async (fan) => {
        if (ARRIVAL_MS > 0) await sleep(Math.random() * ARRIVAL_MS);
        const qty = [1, 2, 2, 2, 3][rand(5)];
        const hot = fan.i % 2 === 0;
        const lo = hot ? 0 : HOT;
        const hi = hot ? HOT : SEATS;
        // A block of qty adjacent seats in one row, as a fan clicking neighbouring seats.
        const row = lo / PER_ROW + rand((hi - lo) / PER_ROW);
        const start = row * PER_ROW + rand(PER_ROW - qty + 1);
        const wanted = ev.seatIds.slice(start, start + qty);
        let hold = null;
        for (let attempt = 0; attempt <= RETRIES && !hold; attempt++) {
          const body = attempt === 0 ? { seatIds: wanted } : { quantity: qty };
          const t = now();
          const r = await call(fan.base, 'POST', `/api/v1/events/${ev.eventId}/holds`, { cookie: fan.cookie, body });
          const ms = now() - t;
          count(r.status);
          if (r.status === 201) {
            (attempt === 0 ? lat.hold : lat.holdBest).push(ms);
            hold = r.body;
          } else if (r.status === 409) {
            // Explicit seats refused vs best available that found nothing it could hold (it re-picks up to 4 times inside).
            (attempt === 0 ? lat.conflict : lat.conflictBest).push(ms);
            conflictCodes[r.body?.code ?? 'unknown'] = (conflictCodes[r.body?.code ?? 'unknown'] ?? 0) + 1;
          }
        }
        if (!hold) {
          emptyHanded++;
          const a = await call(fan.base, 'GET', `/api/v1/events/${ev.eventId}/availability`);
          if ((a.body?.counts?.available ?? 0) >= qty) emptyWhileSeats++;
          return;
        }
        holdsOk++;
        const behaviour = rand(100);
        if (behaviour < ABANDON_PCT) {
          abandoned++;
          const t = now();
          const r = await call(fan.base, 'DELETE', `/api/v1/holds/${hold.id}`, { cookie: fan.cookie });
          lat.release.push(now() - t);
          count(r.status);
          return;
        }
        const key = randomUUID();
        const pay = async (base) => {
          const t = now();
          const r = await call(base, 'POST', '/api/v1/checkout', { cookie: fan.cookie, body: { holdId: hold.id, payment: CARD }, headers: { 'idempotency-key': key } });
          count(r.status);
          if (r.status === 201) {
            lat.checkout.push(now() - t);
            const set = keyOrders.get(key) ?? new Set();
            set.add(r.body.id);
            keyOrders.set(key, set);
          }
          return r;
        };
        let ok;
        if (behaviour < ABANDON_PCT + DOUBLE_PCT) {
          doubleSubmits++;
          const rs = await Promise.all([pay(bases[0]), pay(bases[bases.length - 1])]);
          ok = rs.some((r) => r.status === 201);
        } else {
          ok = (await pay(fan.base)).status === 201;
        }
        if (ok) checkoutsOk++;
      }),
    );
    const elapsedS = (now() - t0) / 1000;
    const cpu = {
      apiMs: +((await cpuMsOfPids(stack.instances.map((i) => i.pid))) - cpu0.api).toFixed(0),
      postgresMs: +((await cpuMsOfProcessesNamed('postgres')) - cpu0.pg).toFixed(0),
      redisMs: +((await cpuMsOfProcessesNamed('redis-server')) - cpu0.redis).toFixed(0),
      clientMs: +((({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu0.client))).toFixed(0),
    };
    const serverMs = await serverSideLatency(bases);

    // --- the check against the database --------------------------------------------------------
    const q = async (sql) => (await db.query(sql, [ev.eventId])).rows;
    const [counts] = await q(
      `SELECT count(*) FILTER (WHERE status = 'available')::int AS available, count(*) FILTER (WHERE status = 'held')::int AS held,
              count(*) FILTER (WHERE status = 'sold')::int AS sold, count(*)::int AS total FROM event_seats WHERE event_id = $1`,
    );
    const doubleSold = await q(`SELECT seat_id FROM tickets WHERE event_id = $1 AND status <> 'void' GROUP BY seat_id HAVING count(*) > 1`);
    const soldWithoutOrder = await q(
      `SELECT s.id FROM event_seats s LEFT JOIN orders o ON o.id = s.order_id WHERE s.event_id = $1 AND s.status = 'sold' AND o.status IS DISTINCT FROM 'completed'`,
    );
    const [orders] = await q(`SELECT count(*)::int AS n FROM orders WHERE event_id = $1 AND status = 'completed'`);
    const charges = Number((await redis.get('simpay:{ledger}:charges')) ?? 0) - chargesBefore;
    const refunds = Number((await redis.get('simpay:{ledger}:refunds')) ?? 0) - refundsBefore;
    const keysWithTwoOrders = [...keyOrders.values()].filter((s) => s.size > 1).length;
    const fiveXX = Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((a, [, n]) => a + n, 0);

    const result = {
      when: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
      setup: { fans: FANS, seats: SEATS, hot: HOT, instances: INSTANCES, retries: RETRIES, arrivalMs: ARRIVAL_MS, abandonPct: ABANDON_PCT, doublePct: DOUBLE_PCT, warmupRequests: warmed },
      elapsedSeconds: +elapsedS.toFixed(2),
      holdsPerSecond: +(holdsOk / elapsedS).toFixed(1),
      checkoutsPerSecond: +(checkoutsOk / elapsedS).toFixed(1),
      latencyMs: { hold: summary(lat.hold), holdBestAvailable: summary(lat.holdBest), conflict: summary(lat.conflict), conflictBestAvailable: summary(lat.conflictBest), checkout: summary(lat.checkout), release: summary(lat.release) },
      serverSideLatencyMs: serverMs,
      // CPU time during the sale: the API instances together (from /proc) and this client; per request = apiMs / requests.
      cpuDuringSale: { ...cpu, requests: Object.values(statuses).reduce((a, n) => a + n, 0), apiMsPerRequest: +(cpu.apiMs / Object.values(statuses).reduce((a, n) => a + n, 0)).toFixed(2), wallMs: Math.round(elapsedS * 1000) },
      statuses,
      conflictCodes,
      fiveXX,
      fans: { withHold: holdsOk, bought: checkoutsOk, abandoned, doubleSubmits, emptyHanded, emptyHandedWhileSeatsRemained: emptyWhileSeats },
      database: { ...counts, completedOrders: orders.n, doubleSold: doubleSold.length, soldWithoutCompletedOrder: soldWithoutOrder.length, keysWithTwoOrders },
      payments: { charges, refunds, netCharges: charges - refunds },
      verdict: {
        noOversell: doubleSold.length === 0 && soldWithoutOrder.length === 0 && counts.available + counts.held + counts.sold === counts.total,
        oneChargePerOrder: charges - refunds === orders.n && keysWithTwoOrders === 0,
        zero5xx: fiveXX === 0,
        holdP99Within50ms: summary(lat.hold).p99 <= 50,
        conflictP50Within10ms: summary(lat.conflict).p50 <= 10,
        noFanEmptyHandedWhileSeatsRemained: emptyWhileSeats === 0,
      },
    };
    console.log(JSON.stringify(result, null, 2));
    if (!result.verdict.noOversell || !result.verdict.oneChargePerOrder) process.exitCode = 2;
  } finally {
    await db.end();
    await stack.stop();
    // Clean up this run's Redis keys and database.
    let cursor = '0';
    const raw = new Redis(REDIS_URL);
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await raw.del(...keys);
    } while (cursor !== '0');
    await raw.quit();
    await redis.quit();
    if (!process.env.KEEP_DB) {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
      await admin.end();
    }
    agent.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
