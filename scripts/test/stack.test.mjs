// Tests of the local stack (scripts/stack.mjs): the front door routes like nginx.conf says, for
// every front door this machine has. Real PostgreSQL, Redis and API processes on a throwaway
// database and Redis prefix. Run by `pnpm test` (scripts/test.mjs) as `node --test scripts/test/`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, hasCommand } from '../lib/common.mjs';
import { localNginxConfig, startStack } from '../stack.mjs';

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
  if (hasCommand('nginx')) {
    writeFileSync(path.join(runDir, 'nginx.conf'), conf);
    const r = spawnSync('nginx', ['-t', '-p', runDir, '-c', path.join(runDir, 'nginx.conf'), '-g', 'daemon off;'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  rmSync(runDir, { recursive: true, force: true });
});

const frontDoors = ['node', ...(hasCommand('nginx') ? ['nginx'] : [])];

for (const frontDoor of frontDoors) {
  describe(`a three-instance stack behind the ${frontDoor} front door`, () => {
    const dbName = `tk_stacktest_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const prefix = `tkst:${dbName}:`;
    const webDist = fakeWebDist();
    let stack;
    let base;
    let eventId;

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
      });
      base = `http://127.0.0.1:${stack.frontPort}`;
      const list = JSON.parse((await request(`${base}/api/v1/events`)).text);
      eventId = list.items[0].id;
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

    test('when one instance has stopped, then GET requests are still all answered by the other two', async () => {
      // Arrange
      const victim = stack.instances[1];
      process.kill(victim.pid, 'SIGTERM');
      for (let i = 0; i < 100 && !(await portFree(victim.port)); i++) await new Promise((r) => setTimeout(r, 100));
      // Act
      const answers = [];
      for (let i = 0; i < 9; i++) answers.push(await request(`${base}/health`));
      // Assert
      assert.equal(await portFree(victim.port), true);
      for (const a of answers) assert.equal(a.status, 200, a.text);
      const seen = new Set(answers.map((a) => JSON.parse(a.text).instance));
      assert.deepEqual([...seen].sort(), ['api-1', 'api-3']);
    });

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
