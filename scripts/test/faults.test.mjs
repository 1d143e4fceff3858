// The fault suite (issue 13, deliverable 7): while a flash sale runs against three API instances behind
// the front door, inject each fault — backends killed with pg_terminate_backend (several rounds),
// PostgreSQL stopped and started, Redis stopped and started, one instance SIGKILLed, the payment
// provider failing and slow — and after each assert that no process exited except the one killed,
// that the API answers again within RECOVERY_BOUND_MS, and that the database is consistent
// (scripts/lib/consistency.mjs, apps/api/src/modules/health/consistency.sql). Figures: docs/architecture/operations.md,
// "Fault suite".
//
// Everything it stops is its own: a PostgreSQL cluster made here with initdb (as user postgres when
// run as root) and a private redis-server without persistence, on ports in FAULTS_PORT_BASE … +999
// (default 25000). The shared servers are never touched. Run by `pnpm test` (node --test scripts/test/).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, isRoot } from '../lib/common.mjs';
import { checkConsistency, readSimulatedLedger } from '../lib/consistency.mjs';
import { startStack } from '../stack.mjs';

const requireApi = createRequire(path.join(ROOT, 'apps/api/package.json'));
const pg = requireApi('pg');
const { Redis } = requireApi('ioredis');

/** After a fault ends, every surviving instance answers /ready 200 and the front door serves an event page within this bound. */
const RECOVERY_BOUND_MS = 15_000;
/** Any single request of the sale answers (or fails) within this bound; a hang is a failure. */
const REQUEST_TIMEOUT_MS = 15_000;
/** How long PostgreSQL and Redis stay down (at least; the fault's own length, not a wait for something). */
const OUTAGE_MS = 3_000;
/** The expiry worker ticks every second; a hold may outlive its expiry by this much (a fault can delay a tick). */
const HOLD_GRACE_SECONDS = 10;
const PORT_BASE = Number(process.env.FAULTS_PORT_BASE ?? 25000);
const FANS = 24;
const SEATS_PER_SALE = 150;
const CARDS = { success: '4242424242424242', providerError: '4000000000000119', slow: '4000000000006975' };
const payment = (cardNumber) => ({ cardNumber, expMonth: 12, expYear: 2099, cvc: '123', name: 'Fault Fan' });
const PREFIX = `tkfault:${Date.now().toString(36)}:`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rand = (n) => Math.floor(Math.random() * n);

/** Poll `check` (every 50 ms) until it returns true; returns the time it took, or throws after `ms`. */
async function until(what, check, ms) {
  const started = Date.now();
  let last = null;
  for (;;) {
    if (await check().catch((err) => ((last = err), false))) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${last.message})` : ''}`);
    await sleep(50);
  }
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
/** `count` consecutive free ports inside this suite's range. */
async function freePorts(count) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = PORT_BASE + rand(1000 - count);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await portFree(first + i);
    if (ok) return Array.from({ length: count }, (_, i) => first + i);
  }
  throw new Error(`no ${count} free ports in ${PORT_BASE}-${PORT_BASE + 999}`);
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// --- a throwaway PostgreSQL cluster --------------------------------------------------------------

function pgBinDir() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin/initdb'))) : [];
  if (!versions.length) throw new Error('The fault suite needs PostgreSQL server binaries (initdb, pg_ctl): install postgresql or set PG_BIN.');
  return path.join(base, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/** A cluster in a temp dir owned by the user that runs it (postgres when we are root: initdb refuses root). */
function makeCluster(port) {
  const bin = pgBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tk-faults-pg-'));
  const asOwner = (cmd, args) => {
    const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  };
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  asOwner('initdb', ['-D', data, '-U', 'faults', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`;
  return {
    url: `postgres://faults@127.0.0.1:${port}/ticketing`,
    adminUrl: `postgres://faults@127.0.0.1:${port}/postgres`,
    start: () => asOwner('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']),
    stop: () => asOwner('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']),
    remove: () => rmSync(dir, { recursive: true, force: true }),
    /** Last resort when the suite is cut off (a time limit, Ctrl-C): stop it at once, synchronously. */
    abandon: () => {
      const [file, argv] = isRoot()
        ? ['runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']]
        : [path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']];
      spawnSync(file, argv, { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// --- a private redis-server ----------------------------------------------------------------------

function makeRedis(port) {
  let child = null;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      const started = child;
      // Probe by connecting (a probe that binds the port could take it from the starting server).
      await until(
        'redis-server listening',
        async () => {
          if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
          return accepts(port);
        },
        10_000,
      );
    },
    /** Synchronous last resort (process exit). */
    kill: () => child?.exitCode === null && child.kill('SIGKILL'),
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// --- HTTP ----------------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
/** One request; never rejects: a network error or a timeout is { status: 0, error }. */
function call(base, method, urlPath, { cookie, body, headers = {} } = {}) {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${base}${urlPath}`, {
      method,
      agent,
      headers: {
        ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, error: error.message, headers: {}, body: null }));
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (error) => resolve({ status: 0, error: error.message, headers: {}, body: null }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          // already gone
        }
        resolve({ status: res.statusCode, headers: res.headers, body: json });
      });
    });
    req.end(data);
  });
}

// --- the flash sale ------------------------------------------------------------------------------

/** A fresh on-sale event of SEATS_PER_SALE seats (rows of 30), written straight into the database. */
async function createSaleEvent(db, name) {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const v = await client.query(`INSERT INTO venues (name, city) VALUES ($1, 'Faultville') RETURNING id`, [`${name} arena`]);
    const e = await client.query(
      `INSERT INTO events (venue_id, name, category, starts_at, on_sale_at, max_tickets_per_user)
       VALUES ($1, $2, 'concert', now() + interval '30 days', now() - interval '1 minute', 50) RETURNING id`,
      [v.rows[0].id, name],
    );
    const sec = await client.query(
      `INSERT INTO event_sections (event_id, position, name, price_tier, price_cents) VALUES ($1, 0, 'Floor', 1, 5000) RETURNING id`,
      [e.rows[0].id],
    );
    await client.query(
      `INSERT INTO event_seats (event_id, section_id, seat_index, row_label, row_position, number, seat_position, x, y)
       SELECT $1, $2, r * 30 + n, 'R' || (r + 1), r, (n + 1)::text, n, n * 10, r * 10
         FROM generate_series(0, $3 - 1) r, generate_series(0, 29) n`,
      [e.rows[0].id, sec.rows[0].id, SEATS_PER_SALE / 30],
    );
    await client.query('COMMIT');
    return e.rows[0].id;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * FANS concurrent fans rush `eventId` until stopped: best-available hold, then (mostly) checkout with
 * one Idempotency-Key retried on 503/502/409-in-progress/network errors, sometimes a release or an
 * abandoned hold. A fan whose session vanished (Redis restart) signs in again. `card()` picks the card.
 */
function startSale(base, fans, eventId, card) {
  const figures = { requests: 0, statuses: {}, holds: 0, orders: 0 };
  const count = (r) => {
    figures.requests++;
    const k = r.status || `network:${r.error}`;
    figures.statuses[k] = (figures.statuses[k] ?? 0) + 1;
    return r;
  };
  let stopped = false;
  const req = (fan, method, p, opts = {}) => call(base, method, p, { cookie: fan.cookie, ...opts }).then(count);
  const signIn = async (fan) => {
    const r = await req(fan, 'POST', '/api/v1/auth/login', { body: { email: fan.email, password: fan.password } });
    if (r.status === 200) fan.cookie = String(r.headers['set-cookie']?.find((c) => c.startsWith('tk.sid=')) ?? '').split(';')[0];
    return r.status === 200;
  };
  const loop = async (fan) => {
    while (!stopped) {
      if (!fan.cookie && !(await signIn(fan))) {
        await sleep(50);
        continue;
      }
      const h = await req(fan, 'POST', `/api/v1/events/${eventId}/holds`, { body: { quantity: 1 + rand(2) } });
      if (h.status === 401) fan.cookie = null;
      if (h.status !== 201) {
        await sleep(20 + rand(40));
        continue;
      }
      figures.holds++;
      const roll = rand(100);
      if (roll < 10) {
        await req(fan, 'DELETE', `/api/v1/holds/${h.body.id}`);
        continue;
      }
      if (roll < 15) continue; // abandoned: the hold expires
      const key = randomUUID();
      const body = { holdId: h.body.id, payment: payment(card()) };
      for (let attempt = 0; attempt < 8 && !stopped; attempt++) {
        const r = await req(fan, 'POST', '/api/v1/checkout', { body, headers: { 'idempotency-key': key } });
        if (r.status === 201) figures.orders++;
        if (r.status === 401 && (await signIn(fan))) continue;
        if (![0, 409, 502, 503].includes(r.status) || (r.status === 409 && r.body?.code !== 'idempotency_in_progress')) break;
        await sleep(50 + rand(50));
      }
    }
  };
  const loops = fans.map(loop);
  return {
    figures,
    /** Resolve once the sale has made `n` more requests (bounded). */
    progress: (n, ms = 30_000) => {
      const target = figures.requests + n;
      return until(`${n} more sale requests`, async () => figures.requests >= target, ms);
    },
    /** Resolve once `n` more orders completed (bounded): the sale goes on after a fault. */
    sells: (n, ms = RECOVERY_BOUND_MS) => {
      const target = figures.orders + n;
      return until(`${n} more completed orders`, async () => figures.orders >= target, ms);
    },
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return figures;
    },
  };
}

// --- the suite -----------------------------------------------------------------------------------

describe('fault suite: a flash sale on three instances through faults', { timeout: 10 * 60_000 }, () => {
  let cluster;
  let runDir;
  let redisServer;
  let stack;
  let db;
  let rawRedis;
  let fans = [];
  let killed = null;
  const exits = [];
  const results = [];

  before(async () => {
    const [pgPort, redisPort, frontPort, basePort] = await freePorts(6).then((p) => [p[0], p[1], p[2], p[3]]);
    runDir = mkdtempSync(path.join(os.tmpdir(), 'tk-faults-stack-'));
    chmodSync(runDir, 0o755); // as startStack's own run directories (nginx workers read it)
    cluster = makeCluster(pgPort);
    // If the suite is cut off before after() runs, leave no cluster or redis-server behind.
    process.once('exit', () => {
      for (const i of stack?.instances ?? []) {
        try {
          process.kill(i.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      try {
        process.kill(Number(readFileSync(path.join(runDir, 'nginx.pid'), 'utf8')), 'SIGTERM');
      } catch {
        // already gone
      }
      cluster?.abandon();
      redisServer?.kill();
      rmSync(runDir, { recursive: true, force: true });
    });
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
    cluster.start();
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE ticketing');
    await admin.end();
    redisServer = makeRedis(redisPort);
    await redisServer.start();
    stack = await startStack({
      databaseUrl: cluster.url,
      redisUrl: redisServer.url,
      redisKeyPrefix: PREFIX,
      basePort,
      frontPort,
      instances: 3,
      migrate: true,
      output: 'ignore',
      runDir,
      webDist: path.join(os.tmpdir(), 'tk-faults-no-web'),
      env: {
        LOG_LEVEL: 'warn',
        BCRYPT_ROUNDS: '4',
        // Rate limits stay on, raised: every fan of this suite comes from 127.0.0.1.
        RATE_LIMITS: 'on',
        RATE_LIMIT_API_PER_IP: '1000000',
        RATE_LIMIT_LOGIN_PER_IP: '1000000',
        RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000',
        RATE_LIMIT_REGISTER_PER_IP: '1000000',
        DATABASE_POOL_SIZE: '10',
        HOLD_TTL_SECONDS: '10',
        PAYMENT_GRACE_SECONDS: '5',
        PAYMENT_TIMEOUT_MS: '1000',
        PAYMENT_BREAKER_COOLDOWN_MS: '2000',
        SIMULATED_PAYMENT_LATENCY_MS: '5',
        SIMULATED_PAYMENT_SLOW_MS: '2000',
      },
    });
    stack.onExit((e) => exits.push(e));
    db = new pg.Pool({ connectionString: cluster.url, max: 3 });
    db.on('error', () => {}); // this suite's own pool also meets the PostgreSQL restart
    rawRedis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    rawRedis.on('error', () => {});
    const base = `http://127.0.0.1:${stack.frontPort}`;
    fans = await Promise.all(
      Array.from({ length: FANS }, async (_, i) => {
        const fan = { email: `fan${i}.${PREFIX.replace(/:/g, '')}@faults.test`, password: 'fault-password-1', cookie: null };
        const r = await call(base, 'POST', '/api/v1/auth/register', { body: { email: fan.email, password: fan.password, name: `Fan ${i}` } });
        assert.equal(r.status, 201, `register: ${r.status} ${JSON.stringify(r.body)}`);
        fan.cookie = String(r.headers['set-cookie']?.find((c) => c.startsWith('tk.sid=')) ?? '').split(';')[0];
        return fan;
      }),
    );
  });

  after(async () => {
    const total = results.reduce((a, r) => ({ faults: a.faults + r.faults, requests: a.requests + r.requests }), { faults: 0, requests: 0 });
    console.log(`fault suite figures: ${JSON.stringify({ ...total, frontDoor: stack?.frontDoor, phases: results })}`);
    await stack?.stop();
    await db?.end().catch(() => {});
    rawRedis?.disconnect();
    await redisServer?.stop();
    try {
      cluster?.stop();
    } catch {
      // already gone
    }
    cluster?.remove();
    if (runDir) rmSync(runDir, { recursive: true, force: true });
    agent.destroy();
  });

  const base = () => `http://127.0.0.1:${stack.frontPort}`;
  const alive = () => stack.instances.filter((i) => i !== killed);

  /** Every surviving instance is ready and the front door serves the event: the time it took. */
  const recovered = (eventId) =>
    until(
      'the API answering again',
      async () => {
        for (const i of alive()) if ((await call(i.url, 'GET', '/ready')).status !== 200) return false;
        return (await call(base(), 'GET', `/api/v1/events/${eventId}`)).status === 200;
      },
      RECOVERY_BOUND_MS,
    );

  /** One fault during a fresh sale: inject, recover, sell again, stop, check. */
  async function runPhase(name, { faults, inject, card = () => CARDS.success }) {
    const eventId = await createSaleEvent(db, name);
    const sale = startSale(base(), fans, eventId, card);
    await sale.progress(40);
    await inject(sale);
    const recoveryMs = await recovered(eventId);
    await sale.sells(3);
    const figures = await sale.stop();

    const expectedExits = killed ? [killed.id] : [];
    assert.deepEqual(
      exits.map((e) => e.who),
      expectedExits,
      `processes that exited: ${JSON.stringify(exits)}`,
    );
    const check = await checkConsistency(db, { holdGraceSeconds: HOLD_GRACE_SECONDS, providerCharges: await readSimulatedLedger(rawRedis, PREFIX) });
    results.push({
      phase: name,
      faults,
      requests: figures.requests,
      orders: figures.orders,
      recoveryMs,
      statuses: figures.statuses,
      violations: check.violations,
      unsettled: check.unsettled,
    });
    assert.deepEqual(check.violations, {}, `consistency after ${name}: ${JSON.stringify(check)}`);
    assert.equal(figures.statuses[500] ?? 0, 0, `answers of 500 during ${name}: ${JSON.stringify(figures.statuses)}`);
  }

  /** Where the sale's database sessions are ended: this cluster's own database, never the caller's session. */
  const terminateBackends = async () =>
    (await db.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`))
      .rows[0].n;

  test('when the API backends are killed with pg_terminate_backend (3 rounds), then nothing exits, the API answers and the data is consistent', async () => {
    await runPhase('pg_terminate_backend', {
      faults: 3,
      inject: async (sale) => {
        for (let round = 0; round < 3; round++) {
          assert.ok((await terminateBackends()) > 0, 'there were backends to end');
          await sale.progress(30);
        }
      },
    });
  });

  test('when PostgreSQL is stopped and started, then nothing exits, the API answers and the data is consistent', async () => {
    await runPhase('postgres restart', {
      faults: 1,
      inject: async (sale) => {
        cluster.stop();
        const down = Date.now();
        // Down for OUTAGE_MS, and until every instance reports it and the sale has met the outage.
        await until(
          '/ready reporting PostgreSQL down',
          async () => {
            for (const i of alive()) if ((await call(i.url, 'GET', '/ready')).body?.checks?.postgres !== 'down') return false;
            return true;
          },
          RECOVERY_BOUND_MS,
        );
        await sale.progress(30);
        await until('the outage lasting OUTAGE_MS', async () => Date.now() - down >= OUTAGE_MS, OUTAGE_MS + 1_000);
        cluster.start();
      },
    });
  });

  test('when Redis is stopped and started empty, then nothing exits, the API answers and the data is consistent', async () => {
    await runPhase('redis restart', {
      faults: 1,
      inject: async (sale) => {
        // The simulated payment provider keeps its ledger in this Redis; a real provider's ledger is not
        // ours to lose. Carry the provider's keys (and only them) across the restart, writes paused.
        await rawRedis.call('CLIENT', 'PAUSE', '5000', 'WRITE');
        const saved = [];
        let cursor = '0';
        do {
          const [next, keys] = await rawRedis.scan(cursor, 'MATCH', `${PREFIX}{simpay}:*`, 'COUNT', 1000);
          cursor = next;
          for (const key of keys) saved.push([key, await rawRedis.pttl(key), await rawRedis.dumpBuffer(key)]);
        } while (cursor !== '0');
        await redisServer.stop();
        const down = Date.now();
        await until(
          '/ready reporting Redis down',
          async () => {
            for (const i of alive()) if ((await call(i.url, 'GET', '/ready')).body?.checks?.redis !== 'down') return false;
            return true;
          },
          RECOVERY_BOUND_MS,
        );
        await sale.progress(30);
        await until('the outage lasting OUTAGE_MS', async () => Date.now() - down >= OUTAGE_MS, OUTAGE_MS + 1_000);
        await redisServer.start();
        await until('this suite reconnected to Redis', async () => (await rawRedis.ping()) === 'PONG', RECOVERY_BOUND_MS);
        for (const [key, ttl, dump] of saved) await rawRedis.restore(key, Math.max(0, ttl), dump, 'REPLACE');
      },
    });
  });

  test('when one instance is SIGKILLed, then the others keep serving, nothing else exits and the data is consistent', async () => {
    await runPhase('instance SIGKILL', {
      faults: 1,
      inject: async (sale) => {
        killed = stack.instances[1];
        process.kill(killed.pid, 'SIGKILL');
        await until('the kill seen', async () => exits.length === 1, RECOVERY_BOUND_MS);
        await sale.progress(30);
      },
    });
    // The stack's supervisor restarts the killed instance (scripts/stack/supervisor.mjs).
    await until('the killed instance restarted', async () => (await call(killed.url, 'GET', '/ready')).status === 200, 60_000);
  });

  test('when the payment provider fails and is slow, then nothing exits, the API answers and the data is consistent', async () => {
    let faulty = false;
    await runPhase('payment provider failing + slow', {
      faults: 1,
      // While faulty: 30% provider errors (the breaker opens), 10% slower than our payment timeout.
      card: () => {
        if (!faulty) return CARDS.success;
        const roll = rand(100);
        return roll < 30 ? CARDS.providerError : roll < 40 ? CARDS.slow : CARDS.success;
      },
      inject: async (sale) => {
        faulty = true;
        await sale.progress(150);
        faulty = false;
      },
    });
  });

  test('when the faults are over, then every checkout settles: no order left pending, no charge kept without a sale or a refund', async () => {
    const settled = await until(
      'the reconciler settling the interrupted checkouts',
      async () => {
        const r = await checkConsistency(db, { holdGraceSeconds: HOLD_GRACE_SECONDS, providerCharges: await readSimulatedLedger(rawRedis, PREFIX) });
        return Object.keys(r.violations).length === 0 && !r.unsettled.pending_order && !r.unsettled.succeeded_payment_unsettled;
      },
      90_000,
    );
    const final = await checkConsistency(db, { holdGraceSeconds: HOLD_GRACE_SECONDS, providerCharges: await readSimulatedLedger(rawRedis, PREFIX) });
    // Charges still waiting (legal inside the reconciler's window, e.g. a charge that answered after our
    // payment timeout): which order states they sit in, for the figures.
    const open = (await readSimulatedLedger(rawRedis, PREFIX)).filter((c) => !c.refunded).map((c) => c.orderId);
    const { rows: waiting } = await db.query(
      `SELECT o.status, o.failure_code, p.status AS payment, count(*)::int AS n FROM orders o LEFT JOIN payments p ON p.order_id = o.id
        WHERE o.id = ANY($1::uuid[]) AND o.status <> 'completed' GROUP BY 1, 2, 3`,
      [open],
    );
    results.push({
      phase: 'settle',
      faults: 0,
      requests: 0,
      settleMs: settled,
      violations: final.violations,
      unsettled: final.unsettled,
      waitingCharges: waiting,
    });
    assert.deepEqual(final.violations, {});
    assert.deepEqual(
      exits.map((e) => e.who),
      killed ? [killed.id] : [],
    );
  });
});
