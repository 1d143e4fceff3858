// Issue 13, deliverable 1: no PostgreSQL or Redis connection error ends the process; a request that
// meets a lost connection answers 503 problem+json with Retry-After; a transaction interrupted by a
// lost connection leaves nothing behind; pools and the pub/sub subscriber reconnect by themselves.
// Backends are ended with pg_terminate_backend on this file's own database only.
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import express from 'express';
import pg from 'pg';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, TEST_PASSWORD, type TestContext } from '../../test/context.js';
import { createTestEvent, createTestHold } from '../../test/factories.js';
import { testCard } from '../modules/checkout/test-purchase.js';
import { AvailabilityStream } from '../modules/inventory/availability-stream.js';
import { connectionLoss } from './connection-errors.js';
import { createPool, withTransaction } from './db.js';
import { errorHandler } from './http.js';
import { createLogger } from './logger.js';
import { createRedis, redisReady } from './redis.js';

let ctx: TestContext;
let admin: pg.Client;
/** Holds row locks in its own transaction (pg_stat_activity is a snapshot inside a transaction, so `admin` stays outside one). */
let locker: pg.Client;
/** Errors no one handled while this file ran: each one would have ended a production process. */
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

beforeAll(async () => {
  ctx = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '5' });
  admin = new pg.Client({ connectionString: ctx.databaseUrl });
  await admin.connect();
  locker = new pg.Client({ connectionString: ctx.databaseUrl });
  await locker.connect();
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
  await admin.end();
  await locker.end();
  await ctx.close();
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Poll `check` every 10 ms until it is true, for at most `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** End every other backend of this test file's database (never another database's). */
async function terminateOurBackends(where = 'true'): Promise<number> {
  const { rows } = await admin.query(
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> $1 AND ${where}`,
    [(locker as unknown as { processID: number }).processID],
  );
  return rows.filter((r) => r.ok).length;
}

describe('connection errors are classified', () => {
  it.each([
    [Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), 'postgres'],
    [Object.assign(new Error('the database system is starting up'), { code: '57P03' }), 'postgres'],
    [Object.assign(new Error('connection failure'), { code: '08006' }), 'postgres'],
    [new Error('Connection terminated unexpectedly'), 'postgres'],
    [new Error('timeout exceeded when trying to connect'), 'postgres'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'unknown'],
    [new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''), 'unknown'],
    [Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }), 'redis'],
    [new Error('Connection is closed.'), 'redis'],
  ])('when the error is %s, then it is a lost %s connection', (err, service) => {
    expect(connectionLoss(err)?.service).toBe(service);
  });

  it('when the error is a constraint violation or a plain bug, then it is not a lost connection', () => {
    expect(connectionLoss(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(connectionLoss(new TypeError('x is undefined'))).toBeNull();
  });
});

describe('withTransaction when the connection is lost mid-transaction', () => {
  it('then it rejects with the connection error, nothing it wrote remains, the broken client is destroyed, and the pool serves the next query', async () => {
    const pool = createPool(ctx.databaseUrl, 2);
    const tag = `lost-${randomUUID()}`;
    const destroyed: unknown[] = [];
    pool.on('release', (err) => err && destroyed.push(err));
    try {
      // Act: a write, then the backend is ended while the transaction is open.
      const outcome = await withTransaction(pool, async (tx) => {
        await tx.query(`INSERT INTO venues (name, city) VALUES ($1, 'Faultville')`, [tag]);
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await tx.query('SELECT 1');
        return 'committed';
      }).catch((err: unknown) => err);

      // Assert
      expect(outcome).toBeInstanceOf(Error);
      expect(connectionLoss(outcome)?.service).toBe('postgres');
      expect(destroyed).toHaveLength(1);
      expect((await admin.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [tag])).rows[0].n).toBe(0);
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

describe('an HTTP request whose transaction loses its connection', () => {
  it('then it answers 503 problem+json with Retry-After, nothing is written, and the next request succeeds', async () => {
    // Arrange: a route that writes inside a transaction, then waits on a row lock the test holds.
    const pool = createPool(ctx.databaseUrl, 2);
    const tag = `lost-http-${randomUUID()}`;
    const venue = (await admin.query(`INSERT INTO venues (name, city) VALUES ('Locked', 'Faultville') RETURNING id`)).rows[0].id;
    const app = express();
    app.post('/write', async (_req, res) => {
      await withTransaction(pool, async (tx) => {
        await tx.query(`INSERT INTO venues (name, city) VALUES ($1, 'Faultville')`, [tag]);
        await tx.query('SELECT id FROM venues WHERE id = $1 FOR UPDATE', [venue]);
      });
      res.status(201).end();
    });
    app.use(errorHandler(createLogger('silent', 'test')));
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM venues WHERE id = $1 FOR UPDATE', [venue]);
      const pending = request(app).post('/write');
      const answer = pending.then((r) => r);

      // Act: end the backend that waits for the lock (mid-transaction, after its insert).
      await until(async () => (await terminateOurBackends(`wait_event_type = 'Lock'`)) === 1);
      await locker.query('ROLLBACK');
      const res = await answer;

      // Assert
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('service_unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await admin.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [tag])).rows[0].n).toBe(0);
      expect((await request(app).post('/write')).status).toBe(201);
      expect((await admin.query('SELECT count(*)::int AS n FROM venues WHERE name = $1', [tag])).rows[0].n).toBe(1);
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      await pool.end();
    }
  });

  it('when a checkout is cut off inside its first transaction, then 503 with Retry-After, no order and no charge, and a retry with the same key buys the seats once', async () => {
    // Arrange
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 10, priceCents: 2500 }] });
    const { agent, user } = await signedInAgent(ctx);
    const seatIds = ev.seatIds.slice(0, 2);
    const { holdId } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: user.id, seatIds });
    const key = randomUUID();
    const chargesBefore = await ctx.services.paymentProvider.chargeCount();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM holds WHERE id = $1 FOR UPDATE', [holdId]);
    try {
      const answer = agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: testCard() }).then((r) => r);

      // Act: the checkout's backend waits for the hold lock; end it.
      await until(async () => (await terminateOurBackends(`wait_event_type = 'Lock'`)) === 1);
      await locker.query('ROLLBACK');
      const res = await answer;

      // Assert: 503, nothing written, nothing charged.
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('service_unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await admin.query('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [user.id])).rows[0].n).toBe(0);
      expect((await admin.query(`SELECT status FROM holds WHERE id = $1`, [holdId])).rows[0].status).toBe('active');
      expect(await ctx.services.paymentProvider.chargeCount()).toBe(chargesBefore);

      // The retry with the same key succeeds, once.
      const retry = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: testCard() });
      expect(retry.status).toBe(201);
      expect(await ctx.services.paymentProvider.chargeCount()).toBe(chargesBefore + 1);
      const seats = (await admin.query(`SELECT status, order_id FROM event_seats WHERE id = ANY($1::uuid[])`, [seatIds])).rows;
      expect(seats.every((s) => s.status === 'sold' && s.order_id === retry.body.id)).toBe(true);
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
    }
  });
});

describe('when every idle connection of the app is ended', () => {
  it('then the process survives, the pools replace them, and the next requests succeed', async () => {
    // Arrange: warm both pools.
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 4, priceCents: 1000 }] });
    for (let i = 0; i < 5; i++) expect((await ctx.agent().get(`/api/v1/events/${ev.eventId}`)).status).toBe(200);
    expect(ctx.db.idleCount).toBeGreaterThan(0);

    // Act
    expect(await terminateOurBackends()).toBeGreaterThan(0);
    await until(() => ctx.db.totalCount === 0);

    // Assert
    for (let i = 0; i < 5; i++) expect((await ctx.agent().get(`/api/v1/events/${ev.eventId}`)).status).toBe(200);
    const ready = await ctx.agent().get('/ready');
    expect(ready.status).toBe(200);
  });
});

/** A private redis-server on a free port of 25000-25999 (never the shared one), without persistence. */
async function freePortInRange(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 25000 + Math.floor(Math.random() * 1000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 25000-25999');
}
function startRedisServer(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}
async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

describe('when Redis restarts (private redis-server, no persistence)', () => {
  it('then /ready reports the outage, the pub/sub subscriber resubscribes by itself, and /ready recovers', async () => {
    // Arrange
    const port = await freePortInRange();
    let server = startRedisServer(port);
    const url = `redis://127.0.0.1:${port}`;
    const app = ctx.sibling({ REDIS_URL: url });
    const publisher = createRedis(url, 'fault:');
    const stream = new AvailabilityStream(publisher, 'fault:changes', createLogger('silent', 'test'));
    const received: string[] = [];
    const { email } = await signedInAgent(ctx);
    try {
      await redisReady(publisher);
      stream.listen('ev1', (json) => received.push(json));
      await until(async () => {
        await publisher.publish('fault:changes', 'ev1 {"n":1}');
        return received.length > 0;
      });
      await until(async () => (await app.agent().get('/ready')).status === 200);

      // Act: Redis goes away.
      await stopProcess(server);
      const down = await app.agent().get('/ready');
      expect(down.status).toBe(503);
      expect(down.body.checks.redis).toBe('down');
      const login = await app.agent().post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
      expect(login.status).toBe(503);
      expect(Number(login.headers['retry-after'])).toBeGreaterThanOrEqual(1);

      // ... and comes back empty.
      server = startRedisServer(port);
      received.length = 0;

      // Assert: the subscriber hears new messages without anyone re-subscribing it.
      await until(async () => {
        await publisher.publish('fault:changes', 'ev1 {"n":2}').catch(() => 0);
        return received.includes('{"n":2}');
      }, 10_000);
      await until(async () => (await app.agent().get('/ready')).status === 200, 10_000);
    } finally {
      await stream.close();
      publisher.disconnect();
      app.deps.redis.disconnect();
      await stopProcess(server);
    }
  });
});
