import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order, OrderList, EventCancelResult } from '@ticketing/shared';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent, createTestHold } from '../../../test/factories.js';
import { purchase } from '../checkout/test-purchase.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '0' });
});
afterAll(async () => {
  await ctx.close();
});

async function seatStatuses(seatIds: string[]) {
  const { rows } = await ctx.db.query(`SELECT status, order_id FROM event_seats WHERE id = ANY($1::uuid[])`, [seatIds]);
  return rows;
}

describe('GET /orders', () => {
  it('when a user has orders, then the list shows only their own completed orders, newest first, paginated', async () => {
    const first = await purchase(ctx, { seats: 1 });
    const ev = await createTestEvent(ctx.db);
    const { holdId } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: first.user.id, seatIds: ev.seatIds.slice(0, 1) });
    const second = await first.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({
      holdId,
      payment: { cardNumber: '4242424242424242', expMonth: 1, expYear: 2099, cvc: '123', name: 'X' },
    });
    await purchase(ctx, { seats: 1 }); // someone else's

    const page1 = await first.agent.get('/api/v1/orders?limit=1');
    const page2 = await first.agent.get('/api/v1/orders?limit=1&page=2');

    expect(page1.status).toBe(200);
    expect(OrderList.safeParse(page1.body).success).toBe(true);
    expect(page1.body).toMatchObject({ page: 1, limit: 1, total: 2 });
    expect(page1.body.items[0].id).toBe(second.body.id);
    expect(page2.body.items[0].id).toBe(first.order.id);
  });

  it('when signed out, then it answers 401', async () => {
    const res = await ctx.agent().get('/api/v1/orders');
    expect(res.status).toBe(401);
  });
});

describe('GET /orders/:orderId', () => {
  it('when the order is mine, then it answers it with tickets; when it is another user\'s, then 404', async () => {
    const mine = await purchase(ctx, { seats: 2 });
    const { agent: other } = await signedInAgent(ctx);

    const own = await mine.agent.get(`/api/v1/orders/${mine.order.id}`);
    const foreign = await other.get(`/api/v1/orders/${mine.order.id}`);

    expect(own.status).toBe(200);
    expect(own.body.tickets).toHaveLength(2);
    expect(own.body.event).toMatchObject({ name: 'Test Event' });
    expect(foreign.status).toBe(404);
  });
});

describe("an order's event time zone", () => {
  it("when the venue is in Europe/Lisbon, then the order and the order list say so; a venue without a zone says 'UTC'", async () => {
    const lisbon = await createTestEvent(ctx.db, { venueName: 'Coliseu' });
    await ctx.db.query(`UPDATE venues SET timezone = 'Europe/Lisbon' WHERE id = $1`, [lisbon.venueId]);
    const bought = await purchase(ctx, { eventId: lisbon.eventId, seatIds: lisbon.seatIds.slice(0, 1) });
    const plain = await purchase(ctx, { seats: 1 });

    const one = await bought.agent.get(`/api/v1/orders/${bought.order.id}`);
    const list = await bought.agent.get('/api/v1/orders');
    const utc = await plain.agent.get(`/api/v1/orders/${plain.order.id}`);

    expect(one.status).toBe(200);
    expect(Order.safeParse(one.body).success).toBe(true);
    expect(one.body.event).toMatchObject({ venueName: 'Coliseu', venueTimeZone: 'Europe/Lisbon' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: { event: { venueTimeZone: string } }) => o.event.venueTimeZone)).toEqual(['Europe/Lisbon']);
    expect(utc.body.event.venueTimeZone).toBe('UTC');
  });
});

describe('POST /orders/:orderId/cancel', () => {
  it('when a completed order is cancelled, then it is refunded, tickets are void and the seats are available again', async () => {
    const { agent, order, seatIds } = await purchase(ctx, { seats: 2 });
    const refundsBefore = await ctx.services.paymentProvider.refundCount();

    const res = await agent.post(`/api/v1/orders/${order.id}/cancel`);
    const again = await agent.post(`/api/v1/orders/${order.id}/cancel`);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('refunded');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('order_not_cancellable');
    expect(await ctx.services.paymentProvider.refundCount()).toBe(refundsBefore + 1);
    expect((await seatStatuses(seatIds)).every((s) => s.status === 'available' && s.order_id === null)).toBe(true);
    const tickets = (await ctx.db.query(`SELECT status FROM tickets WHERE order_id = $1`, [order.id])).rows;
    expect(tickets.every((t) => t.status === 'void')).toBe(true);
    const payment = (await ctx.db.query(`SELECT status FROM payments WHERE order_id = $1`, [order.id])).rows[0];
    expect(payment.status).toBe('refunded');
  });

  it('when the event has already taken place, then it answers 409 order_not_cancellable and nothing changes', async () => {
    const { agent, order, eventId, seatIds } = await purchase(ctx, { seats: 1 });
    await ctx.db.query(`UPDATE events SET on_sale_at = now() - interval '2 days', starts_at = now() - interval '1 hour' WHERE id = $1`, [eventId]);

    const res = await agent.post(`/api/v1/orders/${order.id}/cancel`);

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('order_not_cancellable');
    expect((await seatStatuses(seatIds))[0].status).toBe('sold');
  });

  it("when someone cancels another user's order, then it answers 404", async () => {
    const { order } = await purchase(ctx, { seats: 1 });
    const { agent } = await signedInAgent(ctx);

    const res = await agent.post(`/api/v1/orders/${order.id}/cancel`);

    expect(res.status).toBe(404);
    expect((await ctx.db.query(`SELECT status FROM orders WHERE id = $1`, [order.id])).rows[0].status).toBe('completed');
  });
});

describe('POST /admin/events/:id/cancel', () => {
  it('when an admin cancels an event, then every order is refunded once, holds are released, seats are free, and a retry refunds nothing twice', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 2, seatsPerRow: 10, priceCents: 1000 }] });
    const a = await purchase(ctx, { eventId: ev.eventId, seatIds: ev.seatIds.slice(0, 2) });
    const b = await purchase(ctx, { eventId: ev.eventId, seatIds: ev.seatIds.slice(2, 5) });
    const holder = await signedInAgent(ctx);
    await createTestHold(ctx.db, { eventId: ev.eventId, userId: holder.user.id, seatIds: ev.seatIds.slice(5, 7) });
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const refundsBefore = await ctx.services.paymentProvider.refundCount();

    const res = await admin.post(`/api/v1/admin/events/${ev.eventId}/cancel`);
    const retry = await admin.post(`/api/v1/admin/events/${ev.eventId}/cancel`);

    expect(res.status).toBe(200);
    expect(EventCancelResult.safeParse(res.body).success).toBe(true);
    expect(res.body).toMatchObject({ alreadyCancelled: false, ordersRefunded: 2, refundsFailed: 0, holdsReleased: 1, seatsReleased: 7 });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ alreadyCancelled: true, ordersRefunded: 0, holdsReleased: 0 });
    expect(await ctx.services.paymentProvider.refundCount()).toBe(refundsBefore + 2);
    const orders = (await ctx.db.query(`SELECT status FROM orders WHERE id = ANY($1::uuid[])`, [[a.order.id, b.order.id]])).rows;
    expect(orders.every((o) => o.status === 'refunded')).toBe(true);
    const counts = (await ctx.db.query(`SELECT status, count(*)::int AS n FROM event_seats WHERE event_id = $1 GROUP BY status`, [ev.eventId])).rows;
    expect(counts).toEqual([{ status: 'available', n: 20 }]);
    const live = (await ctx.db.query(`SELECT count(*)::int AS n FROM tickets WHERE event_id = $1 AND status <> 'void'`, [ev.eventId])).rows[0];
    expect(live.n).toBe(0);
    const cancelled = (await ctx.db.query(`SELECT cancelled_at FROM events WHERE id = $1`, [ev.eventId])).rows[0];
    expect(cancelled.cancelled_at).not.toBeNull();
    expect(await ctx.services.orders.eventRevenue(ev.eventId)).toBe(0);
  });

  it('when an admin cancels an event after a ticket was checked in, then that order is refunded too and the ticket is void but keeps its check-in time', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 4, priceCents: 1000 }] });
    const bought = await purchase(ctx, { eventId: ev.eventId, seatIds: ev.seatIds.slice(0, 1) });
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const code = bought.order.tickets[0]!.code;
    expect((await admin.post('/api/v1/admin/checkins').send({ code })).status).toBe(200);

    const res = await admin.post(`/api/v1/admin/events/${ev.eventId}/cancel`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ordersRefunded: 1, refundsFailed: 0 });
    const ticket = (await ctx.db.query(`SELECT status, checked_in_at FROM tickets WHERE order_id = $1`, [bought.order.id])).rows[0];
    expect(ticket.status).toBe('void');
    expect(ticket.checked_in_at).not.toBeNull();
    expect((await ctx.db.query(`SELECT status FROM orders WHERE id = $1`, [bought.order.id])).rows[0].status).toBe('refunded');
  });

  it('when the event is cancelled while a checkout is between charge and sale, then that charge is refunded and nothing is sold', async () => {
    const ev = await createTestEvent(ctx.db);
    const buyer = await signedInAgent(ctx);
    const { holdId } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: buyer.user.id, seatIds: ev.seatIds.slice(0, 1) });
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const provider = ctx.services.paymentProvider;
    provider.afterCharge = async () => {
      const r = await admin.post(`/api/v1/admin/events/${ev.eventId}/cancel`);
      if (r.status !== 200) throw new Error('cancel failed');
    };
    let res;
    try {
      res = await buyer.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({
        holdId,
        payment: { cardNumber: '4242424242424242', expMonth: 1, expYear: 2099, cvc: '123', name: 'X' },
      });
    } finally {
      provider.afterCharge = null;
    }

    expect([409, 410]).toContain(res.status);
    const order = (await ctx.db.query(`SELECT status, failure_code, payment_id FROM orders WHERE user_id = $1`, [buyer.user.id])).rows[0];
    expect(order).toMatchObject({ status: 'refunded' });
    expect(['event_cancelled', 'hold_expired']).toContain(order.failure_code);
    expect(await provider.isRefunded(order.payment_id)).toBe(true);
    expect((await ctx.db.query(`SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1 AND status <> 'available'`, [ev.eventId])).rows[0].n).toBe(0);
  });

  it('when an admin cancels while many checkouts run on the event, then nothing deadlocks, nothing stays sold and every charge is refunded', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 2, seatsPerRow: 10, priceCents: 1000 }] });
    const buyers = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const b = await signedInAgent(ctx);
        const { holdId } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: b.user.id, seatIds: ev.seatIds.slice(i * 2, i * 2 + 2) });
        return { ...b, holdId };
      }),
    );
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const provider = ctx.services.paymentProvider;
    const [chargesBefore, refundsBefore] = [await provider.chargeCount(), await provider.refundCount()];

    const [cancel, ...checkouts] = await Promise.all([
      new Promise((r) => setTimeout(r, 15)).then(() => admin.post(`/api/v1/admin/events/${ev.eventId}/cancel`)),
      ...buyers.map((b) =>
        b.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({
          holdId: b.holdId,
          payment: { cardNumber: '4242424242424242', expMonth: 1, expYear: 2099, cvc: '123', name: 'X' },
        }),
      ),
    ]);
    // Orders completed just before the cancel committed are refunded by a second call (the contract: repeatable).
    const again = await admin.post(`/api/v1/admin/events/${ev.eventId}/cancel`);

    expect(cancel.status).toBe(200);
    expect(again.status).toBe(200);
    expect(checkouts.every((c) => c.status < 500)).toBe(true);
    const sold = await ctx.db.query(`SELECT count(*)::int AS n FROM event_seats WHERE event_id = $1 AND status <> 'available'`, [ev.eventId]);
    expect(sold.rows[0].n).toBe(0);
    const completed = await ctx.db.query(`SELECT count(*)::int AS n FROM orders WHERE event_id = $1 AND status = 'completed'`, [ev.eventId]);
    expect(completed.rows[0].n).toBe(0);
    expect((await provider.chargeCount()) - chargesBefore).toBe((await provider.refundCount()) - refundsBefore);
  });

  it('when a non-admin tries to cancel an event, then it answers 403 and nothing changes', async () => {
    const ev = await createTestEvent(ctx.db);
    const { agent } = await signedInAgent(ctx);

    const res = await agent.post(`/api/v1/admin/events/${ev.eventId}/cancel`);

    expect(res.status).toBe(403);
    expect((await ctx.db.query(`SELECT cancelled_at FROM events WHERE id = $1`, [ev.eventId])).rows[0].cancelled_at).toBeNull();
  });
});

describe('revenue', () => {
  it('when orders complete, then eventRevenue sums their totals', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 10, priceCents: 1500 }] });
    await purchase(ctx, { eventId: ev.eventId, seatIds: ev.seatIds.slice(0, 2) });
    await purchase(ctx, { eventId: ev.eventId, seatIds: ev.seatIds.slice(2, 3) });

    expect(await ctx.services.orders.eventRevenue(ev.eventId)).toBe(4500);
  });
});
