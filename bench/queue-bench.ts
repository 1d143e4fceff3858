/**
 * Waiting-room benchmark.
 *
 *   cd apps/api && npx tsx ../../bench/queue-bench.ts
 *
 * 1. Creates a scratch database (migrated) and Redis key prefix, starts one API instance
 *    (apps/api/src/main.ts, rate limits raised, WORKERS=off, LOG_LEVEL=warn) on a free port
 *    (QUEUE_BENCH_PORT to choose it).
 * 2. Bulk join: N − S sessions through QueueService (the join Lua script), 64 in flight.
 * 3. HTTP join: S sessions through POST /events/:id/queue (their cookies are kept).
 * 4. Status polls: GET /events/:id/queue from those S sessions, open loop at a target rate.
 * 5. Drain: the admin setting raises the rate, two admission "instances" (two services on their
 *    own Redis connections, ~1 s jittered ticks like the worker) drain the queue; every batch
 *    carries its Redis-side admission sequence number, so the admission order is exact.
 *    Reports the drain time and inversions (Kendall tau distance) against the join order.
 *
 * Environment: QUEUE_BENCH_N (100000), QUEUE_BENCH_HTTP_SESSIONS (2000), QUEUE_BENCH_POLL_RATE
 * (2000/s), QUEUE_BENCH_POLL_SECONDS (20), QUEUE_BENCH_DRAIN_RATE (120000/min),
 * QUEUE_BENCH_SESSION_ONLY=1 (poll with the session cookie only: the full Express path),
 * QUEUE_BENCH_NODE_FLAGS (node flags for the API), QUEUE_BENCH_API_STDOUT (a file for the API's stdout),
 * QUEUE_BENCH_TRACE (a file for every measured poll: [sent at, ms]),
 * QUEUE_BENCH_LOOP_GAPS (a file for the API's event-loop gaps: bench/lib/loop-gaps.mjs),
 * QUEUE_BENCH_FLOOR_SECONDS (12; 0 = skip the box's floor measured right before the polls),
 * BENCH_DATABASE_ADMIN_URL, BENCH_REDIS_URL.
 */
import { fork, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadEnv } from '../apps/api/src/config/env.js';
import { createPool } from '../apps/api/src/platform/db.js';
import { createRedis, redisReady } from '../apps/api/src/platform/redis.js';
import { createLogger } from '../apps/api/src/platform/logger.js';
import { createMetrics } from '../apps/api/src/platform/metrics.js';
import { migrate } from '../apps/api/src/db/migrate.js';
import { createEventsModule } from '../apps/api/src/modules/events/events.module.js';
import { createQueueModule } from '../apps/api/src/modules/queue/queue.module.js';
import { queueKeys } from '../apps/api/src/modules/queue/queue.keys.js';
import type { AppDeps } from '../apps/api/src/platform/deps.js';
import { createTestEvent } from '../apps/api/test/factories.js';
import { apiNodeArgs } from '../apps/api/bin/node-flags.mjs';
import { RAISED_RATE_LIMITS } from './lib/raised-limits.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const apiDir = path.resolve(here, '../apps/api');
const N = Number(process.env.QUEUE_BENCH_N ?? 100_000);
const S = Number(process.env.QUEUE_BENCH_HTTP_SESSIONS ?? 2_000);
const POLL_RATE = Number(process.env.QUEUE_BENCH_POLL_RATE ?? 2_000);
const FLOOR_SECONDS = Number(process.env.QUEUE_BENCH_FLOOR_SECONDS ?? 12);
const POLL_SECONDS = Number(process.env.QUEUE_BENCH_POLL_SECONDS ?? 20);
const DRAIN_RATE = Number(process.env.QUEUE_BENCH_DRAIN_RATE ?? 120_000);
const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SESSION_ONLY = process.env.QUEUE_BENCH_SESSION_ONLY === '1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (x: number) => Math.round(x * 1000) / 1000;

/** Kendall tau distance (number of inverted pairs) by merge sort. */
function inversions(a: number[]): number {
  const buf = new Array<number>(a.length);
  const sort = (lo: number, hi: number): number => {
    if (hi - lo < 2) return 0;
    const mid = (lo + hi) >> 1;
    let inv = sort(lo, mid) + sort(mid, hi);
    let i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
      if (a[i]! <= a[j]!) buf[k++] = a[i++]!;
      else { buf[k++] = a[j++]!; inv += mid - i; }
    }
    while (i < mid) buf[k++] = a[i++]!;
    while (j < hi) buf[k++] = a[j++]!;
    for (let x = lo; x < hi; x++) a[x] = buf[x]!;
    return inv;
  };
  return sort(0, a.length);
}

/** The box's CPU counters (/proc/stat: user nice system idle iowait irq softirq steal, in ticks). */
async function boxCpu(): Promise<number[]> {
  return (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
}
/** How busy the box was between two readings, and how much of its time the hypervisor took (steal). */
function boxShare(a: number[], b: number[]) {
  const d = b.map((v, i) => v - a[i]!);
  const total = d.reduce((x, y) => x + y, 0) || 1;
  return { busyPercent: Math.round((100 * (total - d[3]! - d[4]! - d[7]!)) / total), stealPercent: Math.round((100 * d[7]!) / total) };
}

/** Run `fn` over `items` with `concurrency` in flight. */
async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

function request(agent: http.Agent, port: number, method: string, urlPath: string, cookie?: string): Promise<{ status: number; body: string; setCookie?: string[] }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers: cookie ? { cookie } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), setCookie: res.headers['set-cookie'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Open loop: POLL_RATE requests a second (a 2 ms timer sends what is due) for `seconds`, the first
 * 2 s warm-up; an answer counts as an error unless it is 200 and says "queued". Stops adding once
 * 4 × rate requests are in flight (saturated). Returns the measured latencies, sorted.
 */
async function openLoop(agent: http.Agent, port: number, urlPath: string, seconds: number, cookies: (string | undefined)[], trace: [number, number][] | null = null) {
  const lat: number[] = [];
  let errors = 0;
  let sent = 0;
  let inflight = 0;
  let maxInflight = 0;
  let saturated = false;
  const pollStart = performance.now();
  const warmupEnd = pollStart + 2000;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - pollStart;
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        const wait = setInterval(() => { if (inflight === 0) { clearInterval(wait); resolve(); } }, 10);
        return;
      }
      if (inflight > 4 * POLL_RATE) saturated = true;
      const due = saturated ? sent : Math.floor((elapsed / 1000) * POLL_RATE);
      while (sent < due) {
        const cookie = cookies[sent % cookies.length];
        sent++;
        const s = performance.now();
        inflight++;
        maxInflight = Math.max(maxInflight, inflight);
        request(agent, port, 'GET', urlPath, cookie).then(
          (r) => {
            inflight--;
            if (r.status !== 200 || !r.body.includes('"queued"')) errors++;
            if (s >= warmupEnd) {
              const took = performance.now() - s;
              lat.push(took);
              trace?.push([Math.round(s), Math.round(took * 1000) / 1000]);
            }
          },
          () => { inflight--; errors++; },
        );
      }
    }, 2);
  });
  lat.sort((a, b) => a - b);
  return { lat, errors, sent, maxInflight, saturated, pollStart, warmupEnd, pollEnd: performance.now() };
}

/** The box's floor at POLL_RATE right now: bench/poll-floor.mjs's server (node:http + one Redis ZSCORE) under openLoop. */
async function measureFloor() {
  const child = fork(path.join(here, 'poll-floor.mjs'), ['server'], {
    env: { ...process.env, REDIS: '1', BENCH_REDIS_URL: REDIS_URL },
    execArgv: [],
  });
  try {
    const floorPort = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve(Number(m)));
      child.once('error', reject);
    });
    const floorAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const boxBefore = await boxCpu();
    const r = await openLoop(floorAgent, floorPort, '/floor', FLOOR_SECONDS, [undefined]);
    const box = boxShare(boxBefore, await boxCpu());
    floorAgent.destroy();
    return { seconds: FLOOR_SECONDS, completed: r.lat.length, errors: r.errors, p50ms: ms(pct(r.lat, 50)), p90ms: ms(pct(r.lat, 90)), p99ms: ms(pct(r.lat, 99)), maxms: ms(r.lat[r.lat.length - 1] ?? 0), box };
  } finally {
    child.kill();
  }
}

async function main() {
  const started = Date.now();
  const dbName = `queue_bench_${started}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  await migrate(databaseUrl);
  const prefix = `qbench:${started}:`;
  const port = Number(process.env.QUEUE_BENCH_PORT ?? 38_000 + Math.floor(Math.random() * 1000));
  const apiEnv: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    INSTANCE_ID: 'bench-api',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    SESSION_SECRET: 'queue-bench-session-secret-0123456789',
    TICKET_SECRET: 'queue-bench-ticket-secret-0123456789',
    ...RAISED_RATE_LIMITS,
    WORKERS: 'false',
    LOG_LEVEL: 'warn',
    // The bulk entries never poll; keep them alive for the whole run.
    QUEUE_GRACE_SECONDS: '7200',
  };
  const env = loadEnv({ ...apiEnv, INSTANCE_ID: 'bench-driver' } as NodeJS.ProcessEnv);
  const db = createPool(databaseUrl, 10);
  const mkDeps = (name: string): AppDeps => {
    const redis = createRedis(REDIS_URL, prefix);
    return { env, db, redis, logger: createLogger('warn', name), metrics: createMetrics(name), readinessDetails: {} };
  };
  const depsA = mkDeps('bench-a');
  const depsB = mkDeps('bench-b');
  await Promise.all([redisReady(depsA.redis), redisReady(depsB.redis)]);
  // Two waiting-room instances, each with its own events module (its own facts cache), as two API processes.
  const queueOf = (deps: AppDeps) => createQueueModule(deps, { events: createEventsModule(deps).service }).service;
  const qa = queueOf(depsA);
  const qb = queueOf(depsB);

  const nodeFlags = (process.env.QUEUE_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  // QUEUE_BENCH_LOOP_GAPS=file records the API's event-loop gaps (bench/lib/loop-gaps.mjs).
  if (process.env.QUEUE_BENCH_LOOP_GAPS) {
    nodeFlags.push('--import', path.join(here, 'lib', 'loop-gaps.mjs'));
    apiEnv.LOOP_GAPS_FILE = process.env.QUEUE_BENCH_LOOP_GAPS;
  }
  // QUEUE_BENCH_API_STDOUT=file keeps the API's stdout (e.g. with --trace-gc-nvp in QUEUE_BENCH_NODE_FLAGS).
  const stdout = process.env.QUEUE_BENCH_API_STDOUT ? openSync(process.env.QUEUE_BENCH_API_STDOUT, 'w') : 'ignore';
  const apiSpawnedAt = performance.now();
  // The API's own node flags (apps/api/bin/node-flags.mjs), then the benchmark's.
  const api = spawn(process.execPath, apiNodeArgs('src/main.ts', nodeFlags), { cwd: apiDir, env: { ...process.env, ...apiEnv }, stdio: ['ignore', stdout, 'inherit'] });
  const cleanup = async () => {
    api.kill('SIGTERM');
    let cursor = '0';
    do {
      const [c, keys] = await depsA.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = c;
      if (keys.length) await depsA.redis.unlink(...keys.map((k) => k.slice(prefix.length)));
    } while (cursor !== '0');
    await Promise.allSettled([depsA.redis.quit(), depsB.redis.quit(), db.end()]);
    await sleep(500);
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  };

  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    for (let i = 0; ; i++) {
      const ok = await request(agent, port, 'GET', '/ready').then((r) => r.status === 200, () => false);
      if (ok) break;
      if (i > 150) throw new Error('API did not become ready');
      await sleep(200);
    }
    const { eventId } = await createTestEvent(db, { name: 'Queue bench', highDemand: true, admissionRatePerMinute: 120, maxConcurrentShoppers: 200 });
    const joinRank = new Map<string, number>();

    // 2. Bulk join through the service (the same Lua script the HTTP join runs).
    const bulk = Array.from({ length: N - S }, (_, i) => `bulk-${i}`);
    let t0 = performance.now();
    await pool(bulk, 64, async (sid, i) => {
      const st = await (i % 2 ? qb : qa).join(eventId, { sessionId: sid });
      joinRank.set(`s:${sid}`, st.position! - 1);
    });
    const bulkSeconds = (performance.now() - t0) / 1000;

    // 3. HTTP join.
    const cookies: string[] = [];
    const joinLat: number[] = [];
    t0 = performance.now();
    await pool(Array.from({ length: S }, (_, i) => i), 32, async (i) => {
      const s = performance.now();
      const r = await request(agent, port, 'POST', `/api/v1/events/${eventId}/queue`);
      joinLat.push(performance.now() - s);
      if (r.status !== 200) throw new Error(`join ${r.status} ${r.body}`);
      const cookie = r.setCookie?.find((c) => c.startsWith('tk.sid='))?.split(';')[0];
      if (!cookie) throw new Error('no cookie');
      // The signed poll cookie lets the status poll skip the session read (queueStatusRoutes in
      // queue.routes.ts); QUEUE_BENCH_SESSION_ONLY=1 drops it to measure the session path instead.
      const ticket = r.setCookie?.find((c) => c.startsWith('tk.q='))?.split(';')[0];
      if (!ticket && !SESSION_ONLY) throw new Error('no tk.q cookie');
      cookies[i] = SESSION_ONLY || !ticket ? cookie : `${cookie}; ${ticket}`;
      const sid = decodeURIComponent(cookie.slice('tk.sid='.length)).slice(2).split('.')[0]!;
      joinRank.set(`s:${sid}`, (JSON.parse(r.body) as { position: number }).position - 1);
    });
    const httpJoinSeconds = (performance.now() - t0) / 1000;
    const queueLength = await depsA.redis.zcard(queueKeys(eventId).queue);

    // 4c. The queue's own cost without HTTP: QueueService.status with 64 in flight for 5 s, and Redis'
    //     own time (INFO commandstats) per script run and per poll (polls of one event-loop turn share a run).
    const evalshaUsec = async () => {
      const info = await depsA.redis.info('commandstats');
      const m = info.match(/cmdstat_evalsha:calls=(\d+),usec=(\d+)/);
      return m ? { calls: Number(m[1]), usec: Number(m[2]) } : { calls: 0, usec: 0 };
    };
    const before = await evalshaUsec();
    const svcLat: number[] = [];
    const svcEnd = performance.now() + 5000;
    const probeIds = [...joinRank.keys()].filter((m) => m.startsWith('s:bulk-')).slice(0, 5000).map((m) => m.slice(2));
    await Promise.all(Array.from({ length: 64 }, async (_, c) => {
      for (let i = c; performance.now() < svcEnd; i += 64) {
        const s = performance.now();
        await qa.status(eventId, { sessionId: probeIds[i % probeIds.length]! });
        svcLat.push(performance.now() - s);
      }
    }));
    const after = await evalshaUsec();
    svcLat.sort((a, b) => a - b);

    // 4a. Unloaded latency: sequential polls on one connection.
    const seqAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const seqLat: number[] = [];
    for (let i = 0; i < 500; i++) {
      const s = performance.now();
      await request(seqAgent, port, 'GET', `/api/v1/events/${eventId}/queue`, cookies[i % cookies.length]);
      seqLat.push(performance.now() - s);
    }
    seqLat.sort((a, b) => a - b);
    const healthLat: number[] = [];
    for (let i = 0; i < 300; i++) {
      const s = performance.now();
      await request(seqAgent, port, 'GET', '/health');
      healthLat.push(performance.now() - s);
    }
    healthLat.sort((a, b) => a - b);
    seqAgent.destroy();

    // 4b. Capacity: closed loop, 32 clients polling back to back for 8 s; API CPU per poll from /proc.
    const apiCpuMs = async () => {
      const stat = (await readFile(`/proc/${api.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      return ((Number(stat[11]) + Number(stat[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
    };
    const cpuBefore = await apiCpuMs();
    const boxBeforeCap = await boxCpu();
    const capLat: number[] = [];
    let capFellThrough = 0;
    const capEnd = performance.now() + 8000;
    await Promise.all(Array.from({ length: 32 }, async (_, c) => {
      for (let i = c; performance.now() < capEnd; i += 32) {
        const s = performance.now();
        const r = await request(agent, port, 'GET', `/api/v1/events/${eventId}/queue`, cookies[i % cookies.length]);
        capLat.push(performance.now() - s);
        // The normal route re-issues tk.q on every answer; the lean status route sets no cookie.
        if (r.setCookie?.length) capFellThrough++;
      }
    }));
    const cpuPerPollMs = (await apiCpuMs() - cpuBefore) / capLat.length;
    const capBox = boxShare(boxBeforeCap, await boxCpu());
    capLat.sort((a, b) => a - b);
    await sleep(1000);

    // 4. Status polls, open loop at POLL_RATE for POLL_SECONDS (first 2 s are warm-up). Right before,
    //    the same client drives the box's floor for FLOOR_SECONDS: a bare node:http server making one
    //    Redis round trip per request (bench/poll-floor.mjs), so every run states what this box gave
    //    any HTTP answer in the same minute (a VM's neighbours come and go).
    const floor = FLOOR_SECONDS > 0 ? await measureFloor() : null;
    // QUEUE_BENCH_TRACE=file writes every measured poll as [sent at (this process's performance.now()), ms].
    const trace: [number, number][] | null = process.env.QUEUE_BENCH_TRACE ? [] : null;
    const boxBeforePolls = await boxCpu();
    // Status script runs and the polls they answered, from the API's queue_status_batch_size histogram.
    const batchStats = async () => {
      const text = (await request(agent, port, 'GET', '/metrics')).body;
      const read = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      return { runs: read('queue_status_batch_size_count'), polls: read('queue_status_batch_size_sum') };
    };
    const batchesBefore = await batchStats();
    const polls = await openLoop(agent, port, `/api/v1/events/${eventId}/queue`, POLL_SECONDS, cookies, trace);
    const batchesAfter = await batchStats();
    const pollBox = boxShare(boxBeforePolls, await boxCpu());
    const { lat, errors, sent, maxInflight, saturated, warmupEnd, pollEnd } = polls;
    if (trace) await writeFile(process.env.QUEUE_BENCH_TRACE!, JSON.stringify(trace));
    const pollWindow = (pollEnd - warmupEnd) / 1000;

    // 5. Drain at DRAIN_RATE with two admission loops (two instances).
    await qa.updateSettings(eventId, { admissionRatePerMinute: DRAIN_RATE, maxConcurrentShoppers: Math.min(100_000, N) });
    const batches: { before: number; members: string[] }[] = [];
    const drainStart = performance.now();
    let draining = true;
    const loop = async (q: QueueService) => {
      await sleep(Math.random() * 1000);
      while (draining) {
        const r = await q.admitEvent(eventId);
        if (r.members.length) batches.push({ before: r.admissionsBefore, members: r.members });
        await sleep(1000 * (0.8 + Math.random() * 0.4));
      }
    };
    const loops = [loop(qa), loop(qb)];
    while ((await depsA.redis.zcard(queueKeys(eventId).queue)) > 0) await sleep(100);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    draining = false;
    await Promise.all(loops);
    batches.sort((x, y) => x.before - y.before);
    const sequence = batches.flatMap((b) => b.members).map((m) => joinRank.get(m) ?? -1);
    const unknown = sequence.filter((r) => r < 0).length;
    const admittedOnce = new Set(batches.flatMap((b) => b.members)).size;
    const inv = inversions([...sequence]);
    const pairs = (sequence.length * (sequence.length - 1)) / 2;

    const joinSorted = [...joinLat].sort((a, b) => a - b);
    const result = {
      loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`,
      redis: (await depsA.redis.info('server')).match(/redis_version:(\S+)/)?.[1],
      queued: queueLength,
      bulkJoin: { sessions: bulk.length, seconds: ms(bulkSeconds), perSecond: Math.round(bulk.length / bulkSeconds) },
      httpJoin: { sessions: S, seconds: ms(httpJoinSeconds), perSecond: Math.round(S / httpJoinSeconds), p50ms: ms(pct(joinSorted, 50)), p99ms: ms(pct(joinSorted, 99)) },
      serviceStatus64: {
        perSecond: Math.round(svcLat.length / 5),
        p50ms: ms(pct(svcLat, 50)),
        p99ms: ms(pct(svcLat, 99)),
        redisMicrosPerScript: after.calls > before.calls ? ms((after.usec - before.usec) / (after.calls - before.calls)) : null,
        redisMicrosPerPoll: ms((after.usec - before.usec) / svcLat.length),
        pollsPerScript: ms(svcLat.length / Math.max(1, after.calls - before.calls)),
      },
      closedLoop32: { perSecond: Math.round(capLat.length / 8), p50ms: ms(pct(capLat, 50)), p99ms: ms(pct(capLat, 99)), apiCpuMsPerPoll: ms(cpuPerPollMs), normalPathPolls: capFellThrough, sessionOnly: SESSION_ONLY, box: capBox },
      sequentialPoll: { p50ms: ms(pct(seqLat, 50)), p99ms: ms(pct(seqLat, 99)), healthP50ms: ms(pct(healthLat, 50)) },
      // The box's floor right before the polls (same client, rate and warm-up; bare server + one Redis round trip).
      floorPolls: floor,
      statusPolls: {
        targetPerSecond: POLL_RATE,
        measuredSeconds: ms(pollWindow),
        // The whole box over the polling (warm-up included): a run with steal time was shared with other VMs.
        box: pollBox,
        // The measured window in this process's performance.now() and in the API's (since its spawn),
        // to line up with a --trace-gc log of either (V8 stamps its lines with ms since process start).
        windowMs: { bench: [Math.round(warmupEnd), Math.round(pollEnd)], api: [Math.round(warmupEnd - apiSpawnedAt), Math.round(pollEnd - apiSpawnedAt)] },
        completed: lat.length,
        achievedPerSecond: Math.round(lat.length / pollWindow),
        errors,
        maxInflight,
        saturated,
        sent,
        pollsPerScriptRun: ms((batchesAfter.polls - batchesBefore.polls) / (batchesAfter.runs - batchesBefore.runs)),
        p50ms: ms(pct(lat, 50)),
        p90ms: ms(pct(lat, 90)),
        p99ms: ms(pct(lat, 99)),
        maxms: ms(lat[lat.length - 1] ?? NaN),
      },
      drain: { ratePerMinute: DRAIN_RATE, admitted: sequence.length, admittedOnce, seconds: ms(drainSeconds), admittedPerSecond: Math.round(sequence.length / drainSeconds), batches: batches.length },
      order: { inversions: inv, kendallTau: pairs ? 1 - (2 * inv) / pairs : 1, unknownMembers: unknown, exactlyJoinOrder: inv === 0 && unknown === 0 && sequence.every((r, i) => r === i) },
    };
    console.log(JSON.stringify(result, null, 2));
    agent.destroy();
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
