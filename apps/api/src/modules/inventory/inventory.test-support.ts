import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { TEST_PASSWORD, uniqueEmail, type TestApp } from '../../../test/context.js';
import { createHttpServer } from '../../platform/server.js';
import type { Queryable } from '../../platform/db.js';

/** Test support for the inventory tests: many signed-in users and real concurrent requests. */
export interface User {
  id: string;
  cookie: string;
}

/** Register users through the API and keep each one's session cookie. */
export async function registerUsers(app: Pick<TestApp, 'app'>, n: number): Promise<User[]> {
  const out: User[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async () => {
        const res = await request(app.app).post('/api/v1/auth/register').send({ email: uniqueEmail('conc'), password: TEST_PASSWORD, name: 'C' });
        if (res.status !== 201) throw new Error(`register ${res.status}`);
        return { id: res.body.id as string, cookie: String(res.headers['set-cookie']![0]).split(';')[0]! };
      }),
    );
    out.push(...batch);
  }
  return out;
}

/** POST a JSON body with a session cookie over the keep-alive agent. */
export function post(p: number, path: string, cookie: string, body: unknown, a: http.Agent): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port: p, path, method: 'POST', agent: a, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), cookie } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}


/** A test app listening on a real port, with a keep-alive agent: requests really run concurrently. */
export interface LiveServer {
  port: number;
  agent: http.Agent;
  close: () => Promise<void>;
}

/** Listen on a free port with the production server factory; `close` ends the agent, the sockets and the server. */
export function listen(app: Pick<TestApp, 'app'>, maxSockets: number): LiveServer {
  const server = createHttpServer(app.app).listen(0);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    port: (server.address() as AddressInfo).port,
    agent,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * Move holds past their expiry without waiting: their `expires_at` (PostgreSQL's clock, the one
 * expiry reads) is set a second into the past. `which`: hold ids, or an event's active holds
 * expiring within `withinSeconds` (e.g. the short-TTL instance's holds).
 */
export async function expireHoldsNow(db: Queryable, which: { holdIds: string[] } | { eventId: string; withinSeconds: number }): Promise<void> {
  if ('holdIds' in which) {
    await db.query(`UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[]) AND status = 'active'`, [which.holdIds]);
  } else {
    await db.query(
      `UPDATE holds SET expires_at = now() - interval '1 second'
        WHERE event_id = $1 AND status = 'active' AND expires_at < now() + make_interval(secs => $2)`,
      [which.eventId, which.withinSeconds],
    );
  }
}

/** Poll `check` every 20 ms until it holds; throws after `timeoutMs` (a bounded wait for a condition, never a fixed sleep). */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
