import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, uniqueEmail, TEST_PASSWORD, type TestApp, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';
import { TEST_CARDS } from '../payments/simulated-provider.js';
import { testCard } from './test-purchase.js';
import { expireHoldsNow } from '../inventory/inventory.test-support.js';
import { createHttpServer } from '../../platform/server.js';
import type { Express } from 'express';

/**
 * The race run: 500 sessions on a 300-seat event, through real listening servers (two "instances"
 * on one database), with overlapping seat picks, best-available fallback, double-submits with one
 * key (to both instances), declines, releases and holds left to expire. Then the invariants.
 */
const SESSIONS = 500;
const ROWS = 10;
const PER_ROW = 30;

let ctx: TestContext;
let shortHolds: TestApp;
const servers: http.Server[] = [];
const bases: string[] = [];

// Served the way main.ts serves the app (platform/server.ts), over real sockets.
function listen(app: Express): Promise<string> {
  return new Promise((resolve) => {
    const server = createHttpServer(app, { keepAlive: true });
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

beforeAll(async () => {
  ctx = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '5', DATABASE_POOL_SIZE: '20' });
  // A second instance whose holds last 2 s: the sessions that "let the hold expire" hold through it.
  shortHolds = ctx.sibling({ HOLD_TTL_SECONDS: '2', SIMULATED_PAYMENT_LATENCY_MS: '5' });
  bases.push(await listen(ctx.app), await listen(shortHolds.app));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await ctx.close();
});

/** One browser session over keep-alive HTTP (undici fetch keeps connections alive). */
class Session {
  private cookie = '';
  constructor(readonly base: string) {}
  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, base = this.base) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const set = res.headers.getSetCookie?.() ?? [];
    for (const c of set) if (c.startsWith('tk.sid=')) this.cookie = c.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
}

const rand = (n: number) => Math.floor(Math.random() * n);

/**
 * At most `limit` sessions in flight at once: the two test instances share one 10-connection pool
 * on a 2-core box that other test files load too; a waiting room would meter arrivals the same way.
 */
function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const IN_FLIGHT = 100;

describe('checkout race run', () => {
  it('when 500 sessions fight over 300 seats with retries, double-submits and abandons, then no seat is sold twice and every key charged at most once', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: ROWS, seatsPerRow: PER_ROW, priceCents: 1000 }], maxTicketsPerUser: 8 });
    const chargesBefore = await ctx.services.paymentProvider.chargeCount();
    const refundsBefore = await ctx.services.paymentProvider.refundCount();
    const log = { holds: 0, conflicts: 0, orders: new Map<string, string>(), keyAnswers: new Map<string, Set<string>>(), statuses: new Map<number, number>() };
    const note = (status: number) => log.statuses.set(status, (log.statuses.get(status) ?? 0) + 1);

    const sessions = await Promise.all(
      Array.from({ length: SESSIONS }, async () => {
        const s = new Session(bases[0]!);
        const r = await s.call('POST', '/api/v1/auth/register', { email: uniqueEmail('race'), password: TEST_PASSWORD, name: 'Racer' });
        if (r.status !== 201) throw new Error(`register ${r.status}`);
        return s;
      }),
    );

    const t0 = Date.now();
    const gate = limiter(IN_FLIGHT);
    await Promise.all(
      sessions.map((s, i) => gate(async () => {
        const behaviour = rand(100);
        const holdBase = behaviour < 10 ? bases[1]! : bases[0]!; // 10 %: short-lived holds, left to expire
        // Overlapping picks: half aim at the first 60 seats, the rest anywhere.
        const span = i % 2 === 0 ? 60 : ROWS * PER_ROW;
        const start = rand(span - 4);
        const wanted = Array.from({ length: 1 + rand(4) }, (_, k) => ev.seatIds[start + k]!);
        let hold: { id: string } | null = null;
        for (let attempt = 0; attempt < 3 && !hold; attempt++) {
          const body = attempt === 0 ? { seatIds: wanted } : { quantity: wanted.length };
          const h = await s.call('POST', `/api/v1/events/${ev.eventId}/holds`, body, {}, holdBase);
          note(h.status);
          if (h.status === 201) hold = h.body;
          else if (h.status === 409) log.conflicts++;
          else throw new Error(`hold answered ${h.status} ${JSON.stringify(h.body)}`);
        }
        if (!hold) return;
        log.holds++;
        if (behaviour < 10) return; // abandon: the hold expires
        if (behaviour < 20) {
          const d = await s.call('DELETE', `/api/v1/holds/${hold.id}`);
          note(d.status);
          return;
        }
        const pay = async (key: string, cardNumber: string = TEST_CARDS.success, base = bases[0]!) => {
          const r = await s.call('POST', '/api/v1/checkout', { holdId: hold!.id, payment: testCard(cardNumber) }, { 'idempotency-key': key }, base);
          note(r.status);
          if (r.status === 201) {
            log.orders.set(r.body.id, key);
            const set = log.keyAnswers.get(key) ?? new Set<string>();
            set.add(r.body.id);
            log.keyAnswers.set(key, set);
          } else if (![402, 409, 410].includes(r.status)) {
            throw new Error(`checkout answered ${r.status} ${JSON.stringify(r.body)}`);
          }
          return r;
        };
        if (behaviour < 40) {
          // Double-submit: one key, two requests at once, to two instances.
          const key = randomUUID();
          await Promise.all([pay(key, TEST_CARDS.success, bases[0]), pay(key, TEST_CARDS.success, bases[1])]);
          return;
        }
        if (behaviour < 50) {
          const declined = await pay(randomUUID(), TEST_CARDS.declined);
          expect(declined.status).toBe(402);
          await pay(randomUUID());
          return;
        }
        const key = randomUUID();
        await pay(key);
        if (behaviour < 60) await pay(key); // a retry after a "lost" answer
      })),
    );
    const elapsed = Date.now() - t0;

    // The short holds (2 s TTL) lapse — moved past their expiry, not waited for — and the expiry worker runs, as the process would.
    await expireHoldsNow(ctx.db, { eventId: ev.eventId, withinSeconds: 60 });
    await ctx.services.inventory.expireDueHolds();
    // Abandoned holds of the main instance (10-minute TTL) are released for the final count.
    const stillActive = await ctx.db.query(`SELECT count(*)::int AS n FROM holds WHERE event_id = $1 AND status = 'active'`, [ev.eventId]);

    // --- invariants ---------------------------------------------------------------
    const doubleTickets = await ctx.db.query(
      `SELECT seat_id FROM tickets WHERE event_id = $1 AND status <> 'void' GROUP BY seat_id HAVING count(*) > 1`,
      [ev.eventId],
    );
    expect(doubleTickets.rowCount).toBe(0);
    // Every sold seat belongs to exactly one completed order and has exactly one live ticket of that order.
    const soldCheck = await ctx.db.query(
      `SELECT s.id, o.status, (SELECT count(*) FROM tickets t WHERE t.seat_id = s.id AND t.status <> 'void' AND t.order_id = s.order_id)::int AS live
         FROM event_seats s LEFT JOIN orders o ON o.id = s.order_id
        WHERE s.event_id = $1 AND s.status = 'sold'`,
      [ev.eventId],
    );
    expect(soldCheck.rows.filter((r) => r.status !== 'completed' || r.live !== 1)).toEqual([]);
    // Every live ticket points at a seat sold to its order.
    const strayTickets = await ctx.db.query(
      `SELECT t.id FROM tickets t JOIN event_seats s ON s.id = t.seat_id
        WHERE t.event_id = $1 AND t.status <> 'void' AND (s.status <> 'sold' OR s.order_id <> t.order_id)`,
      [ev.eventId],
    );
    expect(strayTickets.rowCount).toBe(0);
    // One order per key; every answer for a key named the same order.
    for (const ids of log.keyAnswers.values()) expect(ids.size).toBe(1);
    const keys = await ctx.db.query(
      `SELECT user_id, idempotency_key FROM orders WHERE event_id = $1 GROUP BY 1, 2 HAVING count(*) > 1`,
      [ev.eventId],
    );
    expect(keys.rowCount).toBe(0);
    // Charges: one per completed order (plus any refunded ones); no payment id on two orders.
    const completed = await ctx.db.query(`SELECT count(*)::int AS n, COALESCE(sum(total_cents), 0)::int AS cents FROM orders WHERE event_id = $1 AND status = 'completed'`, [ev.eventId]);
    const charged = (await ctx.services.paymentProvider.chargeCount()) - chargesBefore;
    const refunded = (await ctx.services.paymentProvider.refundCount()) - refundsBefore;
    expect(charged - refunded).toBe(completed.rows[0].n);
    const samePayment = await ctx.db.query(
      `SELECT payment_id FROM orders WHERE event_id = $1 AND payment_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1`,
      [ev.eventId],
    );
    expect(samePayment.rowCount).toBe(0);
    expect(completed.rows[0].n).toBe(log.orders.size);
    // Conservation: available + held + sold = total, and held seats belong to active holds only.
    const counts = await ctx.db.query(
      `SELECT count(*) FILTER (WHERE status = 'available')::int AS available, count(*) FILTER (WHERE status = 'held')::int AS held,
              count(*) FILTER (WHERE status = 'sold')::int AS sold, count(*)::int AS total
         FROM event_seats WHERE event_id = $1`,
      [ev.eventId],
    );
    const c = counts.rows[0];
    expect(c.available + c.held + c.sold).toBe(ROWS * PER_ROW);
    expect(c.total).toBe(ROWS * PER_ROW);
    const orphanHeld = await ctx.db.query(
      `SELECT s.id FROM event_seats s LEFT JOIN holds h ON h.id = s.hold_id WHERE s.event_id = $1 AND s.status = 'held' AND (h.status IS DISTINCT FROM 'active')`,
      [ev.eventId],
    );
    expect(orphanHeld.rowCount).toBe(0);
    expect(c.sold).toBe(Number((await ctx.db.query(`SELECT count(*)::int AS n FROM tickets WHERE event_id = $1 AND status = 'valid'`, [ev.eventId])).rows[0].n));
    // The availability snapshot the fans see agrees with the database.
    expect(await ctx.services.inventory.salesCounts(ev.eventId)).toEqual({ available: c.available, held: c.held, sold: c.sold });
    // There was real contention, and no 5xx.
    expect(log.conflicts).toBeGreaterThan(0);
    expect(c.sold).toBeGreaterThan(100);
    expect([...log.statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    console.info(
      `race run: ${SESSIONS} sessions in ${elapsed} ms; holds ${log.holds}, hold conflicts ${log.conflicts}, orders ${log.orders.size}, sold ${c.sold}, held ${c.held} (active holds ${stillActive.rows[0].n}), charges ${charged}, refunds ${refunded}; statuses ${JSON.stringify(Object.fromEntries(log.statuses))}`,
    );
  });
});
