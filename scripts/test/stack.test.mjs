// Tests of the local stack (scripts/stack.mjs): the front door routes like nginx.conf says, for
// every front door this machine has. Real PostgreSQL, Redis and API processes on a throwaway
// database and Redis prefix. Run by `pnpm test` (scripts/test.mjs) as `node --test scripts/test/`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from '../lib/common.mjs';
import { localNginxConfig, startStack } from '../stack.mjs';
import { nginxBinary } from '../stack/nginx.mjs';

const requireApi = createRequire(path.join(ROOT, 'apps/api/package.json'));
const pg = requireApi('pg');
const { Redis } = requireApi('ioredis');

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A tiny stand-in for apps/web/dist, so these tests do not depend on the web build. */
function fakeWebDist() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tk-webdist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>ticketing</title><div id="root"></div>\n');
  writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log("app");\n'.repeat(200));
  return dir;
}

/** GET (or other method) through plain http, returning status, headers and the body text. */
function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` every 50 ms until it returns something truthy or `ms` passes; resolves with that value (or undefined). */
async function until(fn, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await sleep(50);
  }
  return undefined;
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

test('when the local nginx config is derived from nginx.conf, then only addresses and paths change and nginx accepts it', () => {
  // Arrange
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'tk-nginx-'));
  // Act
  const conf = localNginxConfig({ frontPort: 18080, host: '127.0.0.1', ports: [13001, 13002, 13003], webDist: '/srv/web', runDir });
  // Assert
  assert.match(conf, /server 127\.0\.0\.1:13001 [^;]*;\s*server 127\.0\.0\.1:13002 [^;]*;\s*server 127\.0\.0\.1:13003 /);
  assert.doesNotMatch(conf, /server api\d:3000/);
  assert.match(conf, /listen 127\.0\.0\.1:18080;/);
  assert.match(conf, /root \/srv\/web;/);
  assert.match(conf, /proxy_buffering off;/, 'the SSE location keeps its rules');
  assert.ok(conf.includes(`pid ${path.join(runDir, 'nginx.pid')};`));
  assert.ok(conf.includes(`proxy_cache_path ${path.join(runDir, 'nginx-micro-cache')} `), 'the micro-cache lives in the run directory');
  assert.match(conf, /proxy_next_upstream error timeout;/);
  assert.match(conf, /location ~ \^\/api\/v1\/events\/\[\^\/\]\+\/\(availability\|seatmap\)\$ \{[^}]*proxy_cache micro;[^}]*proxy_cache_lock on;[^}]*proxy_set_header Cookie "";[^}]*\}/);
  assert.match(conf, /limit_req zone=shield /);
  if (nginxBinary()) {
    writeFileSync(path.join(runDir, 'nginx.conf'), conf);
    const r = spawnSync(nginxBinary(), ['-t', '-p', runDir, '-c', path.join(runDir, 'nginx.conf'), '-g', 'daemon off;'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  rmSync(runDir, { recursive: true, force: true });
});

// scripts/test.mjs installs nginx first (as root with apt-get), so CI runs both.
const frontDoors = ['node', ...(nginxBinary() ? ['nginx'] : [])];

for (const frontDoor of frontDoors) {
  describe(`a three-instance stack behind the ${frontDoor} front door`, () => {
    const dbName = `tk_stacktest_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const prefix = `tkst:${dbName}:`;
    const webDist = fakeWebDist();
    let stack;
    let base;
    let eventId;
    let otherEventId;
    const logLines = [];
    const restarts = [];

    before(async () => {
      const url = new URL(ADMIN_URL);
      url.pathname = `/${dbName}`;
      stack = await startStack({
        databaseUrl: url.toString(),
        redisUrl: REDIS_URL,
        redisKeyPrefix: prefix,
        basePort: 0,
        frontPort: 0,
        webDist,
        frontDoor,
        migrate: true,
        seed: true,
        output: 'ignore',
        env: { LOG_LEVEL: 'warn', RATE_LIMITS: 'off', BCRYPT_ROUNDS: '4' },
        // A dead instance stays down for at least 1.5 s: long enough to send requests its way.
        restartBackoff: { initialMs: 1500 },
        log: (line) => logLines.push(line),
      });
      stack.onRestart((e) => restarts.push({ ...e, at: Date.now() }));
      base = `http://127.0.0.1:${stack.frontPort}`;
      const list = JSON.parse((await request(`${base}/api/v1/events`)).text);
      eventId = list.items[0].id;
      otherEventId = list.items[1].id;
    });

    after(async () => {
      await stack?.stop();
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
      rmSync(webDist, { recursive: true, force: true });
    });

    test('when /health is requested six times, then the three instances answer in turn', async () => {
      // Act
      const seen = [];
      for (let i = 0; i < 6; i++) seen.push(JSON.parse((await request(`${base}/health`)).text).instance);
      // Assert
      assert.equal(stack.frontDoor, frontDoor);
      assert.deepEqual([...new Set(seen)].sort(), ['api-1', 'api-2', 'api-3']);
      for (const id of ['api-1', 'api-2', 'api-3']) assert.equal(seen.filter((s) => s === id).length, 2);
    });

    test('when /ready and the events API are requested, then the API answers through the front door', async () => {
      // Act
      const ready = await request(`${base}/ready`);
      const events = await request(`${base}/api/v1/events`);
      // Assert
      assert.equal(ready.status, 200);
      assert.equal(JSON.parse(ready.text).status, 'ready');
      assert.equal(events.status, 200);
      assert.ok(JSON.parse(events.text).items.length > 0);
    });

    test('when a client sends X-Request-Id, then the API sees and echoes the same id', async () => {
      // Act
      const res = await request(`${base}/health`, { headers: { 'x-request-id': 'stack-test-42' } });
      // Assert
      assert.equal(res.headers['x-request-id'], 'stack-test-42');
    });

    test('when the demo fan signs in through the front door, then the session works on every instance', async () => {
      // Act
      const login = await request(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email: 'fan@example.com', password: 'fan-password-1' }),
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      const me = [];
      for (let i = 0; i < 3; i++) me.push(await request(`${base}/api/v1/auth/me`, { headers: { cookie } }));
      // Assert
      assert.equal(login.status, 200, login.text);
      for (const r of me) {
        assert.equal(r.status, 200);
        assert.equal(JSON.parse(r.text).email, 'fan@example.com');
      }
    });

    test('when the SPA is requested, then files are served, client routes fall back to index.html and missing assets are 404', async () => {
      // Act
      const root = await request(`${base}/`);
      const route = await request(`${base}/events/some-event?x=1`);
      const asset = await request(`${base}/assets/app-abc123.js`);
      const missing = await request(`${base}/assets/nope.js`);
      // Assert
      assert.equal(root.status, 200);
      assert.match(root.text, /<div id="root">/);
      assert.equal(route.status, 200);
      assert.match(route.text, /<div id="root">/);
      assert.equal(asset.status, 200);
      assert.match(asset.headers['content-type'], /javascript/);
      assert.match(asset.headers['cache-control'], /immutable/);
      assert.equal(missing.status, 404);
    });

    test('when a stream client listens and a seat is held, then the availability message arrives through the front door at once', async () => {
      // Arrange: a client fetches the snapshot, then subscribes (what the seat map does).
      await request(`${base}/api/v1/events/${eventId}/availability`);
      const seatmap = JSON.parse((await request(`${base}/api/v1/events/${eventId}/seatmap`)).text);
      const seatId = seatmap.sections[0].rows[0].seats[0].id;
      let received = '';
      let stream;
      const connected = new Promise((resolve, reject) => {
        stream = http.get(`${base}/api/v1/events/${eventId}/availability/stream`, { headers: { accept: 'text/event-stream' } }, (res) => {
          assert.match(res.headers['content-type'], /text\/event-stream/);
          assert.equal(res.headers['content-encoding'], undefined, 'no compression on the stream');
          res.setEncoding('utf8');
          res.on('data', (d) => {
            received += d;
            if (received.includes(': connected')) resolve();
          });
        });
        stream.on('error', reject);
      });
      await connected;
      const login = await request(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email: 'fan@example.com', password: 'fan-password-1' }),
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      // Act
      const hold = await request(`${base}/api/v1/events/${eventId}/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base, cookie },
        body: JSON.stringify({ seatIds: [seatId] }),
      });
      const deadline = Date.now() + 5000;
      while (!received.includes('event: availability') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      stream.destroy();
      // Assert
      assert.equal(hold.status, 201, hold.text);
      assert.match(received, /event: availability\ndata: \{"version":\d+,"changes":\[\[0,"h"\]\]\}/);
    });

    test('when an instance is SIGKILLed while GETs flow, then none is answered with an error and the supervisor restarts it', async () => {
      // Arrange: two clients reading the events list back to back (paced under nginx's shield).
      const victim = stack.instances[1];
      const oldPid = victim.pid;
      const answers = [];
      let flowing = true;
      const client = async () => {
        while (flowing) {
          const r = await request(`${base}/api/v1/events`).catch((e) => ({ status: `error ${e.code}` }));
          answers.push(r.status);
          await sleep(25);
        }
      };
      const clients = [client(), client()];
      await sleep(100);
      // Act
      process.kill(oldPid, 'SIGKILL');
      const back = await until(() => restarts.find((r) => r.who === victim.id), 60_000);
      await sleep(100);
      flowing = false;
      await Promise.all(clients);
      // The front door tries the instance again once its fail_timeout (5 s) has passed.
      const servesAgain = await until(async () => JSON.parse((await request(`${base}/health`)).text).instance === victim.id, 15_000);
      // Assert
      assert.ok(back, `${victim.id} was not restarted; log: ${logLines.join(' | ')}`);
      assert.notEqual(victim.pid, oldPid, 'the live instance view has the new pid');
      assert.equal(back.pid, victim.pid);
      assert.equal(victim.restarts, 1);
      assert.ok(answers.length > 20, `only ${answers.length} requests flowed`);
      assert.deepEqual(answers.filter((s) => s !== 200), [], 'every GET answered 200');
      assert.ok(logLines.some((l) => l.startsWith(`${victim.id} (pid ${oldPid}) exited (SIGKILL)`) && l.includes('restarting it in')), logLines.join('\n'));
      assert.ok(logLines.some((l) => l.startsWith(`${victim.id} is back on port ${victim.port}`)), logLines.join('\n'));
      assert.ok(servesAgain, 'the restarted instance serves again');
    });

    test('when an instance is dead, then POSTs routed to it go to another instance instead of failing', async () => {
      // Arrange
      const victim = stack.instances[2];
      const restartsBefore = restarts.length;
      process.kill(victim.pid, 'SIGKILL');
      await until(async () => await portFree(victim.port), 5_000);
      // Act: sequential POSTs while it is down (round robin sends some of them to its port first).
      const answers = [];
      for (let i = 0; i < 6; i++) {
        const r = await request(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: base },
          body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'wrong-password-1' }),
        });
        answers.push(r.status);
      }
      const stillDown = restarts.length === restartsBefore;
      await until(() => restarts.length > restartsBefore, 60_000);
      // Assert
      assert.ok(stillDown, 'the POSTs were sent while the instance was down');
      assert.deepEqual(answers, [401, 401, 401, 401, 401, 401], 'each POST reached a live instance');
      if (frontDoor === 'nginx') {
        // The access log shows the refused attempt and the retry: "upstream=<dead>, <live>".
        const log = readFileSync(path.join(stack.runDir, 'nginx-access.log'), 'utf8');
        assert.match(log, new RegExp(`"POST /api/v1/auth/login HTTP/1\\.1" 401 .*upstream=127\\.0\\.0\\.1:${victim.port}, 127\\.0\\.0\\.1:\\d+ upstream_status=502, 401`));
      }
    });

    if (frontDoor === 'nginx') {
      test('when 40 fans read the same seat map at once, then one request goes upstream and no cookie is stored or passed on', async () => {
        // Act: a seat map nobody has read yet; every client sends its own cookie and request id.
        const url = `${base}/api/v1/events/${otherEventId}/seatmap`;
        const answers = await Promise.all(
          Array.from({ length: 40 }, (_, i) => request(url, { headers: { cookie: `tk.sid=someone-${i}`, 'x-request-id': `micro-${i}`, 'accept-encoding': 'gzip' } })),
        );
        // Assert
        for (const a of answers) assert.equal(a.status, 200);
        const filled = answers.filter((a) => a.headers['x-cache'] === 'MISS');
        assert.equal(filled.length, 1, `cache statuses: ${answers.map((a) => a.headers['x-cache']).join(',')}`);
        assert.ok(answers.every((a) => ['MISS', 'HIT'].includes(a.headers['x-cache'])));
        answers.forEach((a, i) => {
          assert.equal(a.headers['set-cookie'], undefined);
          assert.equal(a.headers['x-request-id'], `micro-${i}`, 'each caller gets its own request id, not the cached one');
          assert.equal(a.headers['content-encoding'], 'gzip', 'JSON is gzipped');
        });
      });

      test('when availability is read again within a second, then it is a cache hit, and after it, a refresh', async () => {
        // Arrange
        const url = `${base}/api/v1/events/${otherEventId}/availability`;
        const first = await request(url);
        // Act
        const again = await request(url);
        await sleep(100);
        const conditional = await request(url, { headers: { 'if-none-match': first.headers.etag } });
        await until(async () => (await request(url)).headers['x-cache'] === 'STALE' || undefined, 3_000);
        const refreshed = await until(async () => {
          const r = await request(url);
          return r.headers['x-cache'] === 'HIT' ? r : undefined;
        }, 3_000);
        // Assert
        assert.equal(first.status, 200);
        assert.equal(again.status, 200);
        assert.equal(again.headers['x-cache'], 'HIT');
        assert.equal(again.text, first.text);
        assert.equal(conditional.status, 304, 'If-None-Match is answered from the cached ETag');
        assert.ok(refreshed, 'a background update refilled the cache');
      });

      test('when one address sends a burst far above the shield, then nginx answers 429 problem+json and recovers', async () => {
        // Act: micro-cached reads, so the requests that pass cost the API nothing.
        const url = `${base}/api/v1/events/${otherEventId}/seatmap`;
        const answers = await Promise.all(Array.from({ length: 400 }, () => request(url)));
        const limited = answers.filter((a) => a.status === 429);
        const recovered = await until(async () => (await request(url)).status === 200, 5_000);
        // Assert
        assert.ok(limited.length > 0, 'some requests were limited');
        assert.ok(answers.every((a) => a.status === 200 || a.status === 429));
        assert.match(limited[0].headers['content-type'], /application\/problem\+json/);
        assert.equal(JSON.parse(limited[0].text).code, 'rate_limited');
        assert.equal(limited[0].headers['retry-after'], '1');
        assert.ok(recovered);
      });
    }

    test('when the stack is stopped, then every instance has exited and the ports are free', async () => {
      // Act
      await stack.stop();
      // Assert
      for (const i of stack.instances) {
        assert.equal(await portFree(i.port), true, `${i.id} still listens`);
        assert.throws(() => process.kill(i.pid, 0), /ESRCH/);
      }
      assert.equal(await portFree(stack.frontPort), true, 'front door still listens');
      stack = null;
    });
  });
}
