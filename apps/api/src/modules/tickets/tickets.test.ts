import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckinResult, TicketAlreadyUsedProblem, type Order } from '@ticketing/shared';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { purchase } from '../checkout/test-purchase.js';
import { TicketSigner } from './ticket-code.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ SIMULATED_PAYMENT_LATENCY_MS: '0' });
});
afterAll(async () => {
  await ctx.close();
});

describe('ticket codes', () => {
  const signer = new TicketSigner('a-secret-of-at-least-16-chars');
  const ticketId = '6f1c1f9e-3b7a-4c7e-9d0e-1a2b3c4d5e6f';
  const eventId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

  it('when a code is signed, then it verifies back to its ticket and event', () => {
    const code = signer.sign(ticketId, eventId);
    expect(code.length).toBeLessThan(80);
    expect(signer.verify(code)).toEqual({ ticketId, eventId });
  });

  it('when any character of a code is altered, or the secret differs, then verification fails', () => {
    const code = signer.sign(ticketId, eventId);
    for (let i = 3; i < code.length; i++) {
      const c = code[i] === 'A' ? 'B' : 'A';
      expect(signer.verify(code.slice(0, i) + c + code.slice(i + 1))).toBeNull();
    }
    expect(new TicketSigner('another-secret-of-16-chars').verify(code)).toBeNull();
    expect(signer.verify('T1.garbage')).toBeNull();
    expect(signer.verify('')).toBeNull();
  });
});

describe('POST /admin/checkins', () => {
  it('when a valid ticket is scanned twice, then the first answers 200 and the second 409 ticket_already_used', async () => {
    const { order } = await purchase(ctx, { seats: 1 });
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const code = order.tickets[0]!.code;

    const first = await admin.post('/api/v1/admin/checkins').send({ code });
    const second = await admin.post('/api/v1/admin/checkins').send({ code });

    expect(first.status).toBe(200);
    expect(CheckinResult.safeParse(first.body).success).toBe(true);
    expect(first.body).toMatchObject({ ticketId: order.tickets[0]!.id, orderId: order.id });
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.body.code).toBe('ticket_already_used');
    const t = (await ctx.db.query(`SELECT status, checked_in_at FROM tickets WHERE id = $1`, [order.tickets[0]!.id])).rows[0];
    expect(t.status).toBe('checked_in');
    expect(t.checked_in_at).not.toBeNull();
  });

  it('when a used ticket is scanned again, then the 409 says when it was checked in and for which seat', async () => {
    const { order } = await purchase(ctx, { seats: 2 });
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const ticket = order.tickets[1]!;
    const first = await admin.post('/api/v1/admin/checkins').send({ code: ticket.code });
    // Make the first scan's moment distinct from "now", so the answer must come from the stored check-in.
    await ctx.db.query(`UPDATE tickets SET checked_in_at = '2026-12-12T18:42:10.123Z' WHERE id = $1`, [ticket.id]);

    const again = await admin.post('/api/v1/admin/checkins').send({ code: ticket.code });

    expect(first.status).toBe(200);
    expect(again.status).toBe(409);
    const problem = TicketAlreadyUsedProblem.parse(again.body);
    expect(problem.code).toBe('ticket_already_used');
    expect(problem.checkedInAt).toBe('2026-12-12T18:42:10.123Z');
    // The seat printed on the ticket (the order's answer) and the one the first scan admitted to.
    expect(problem.seat).toEqual((order as unknown as Order).tickets[1]!.seat);
    expect(problem.seat).toEqual(first.body.seat);
  });

  it('when two scanners scan one ticket at the same moment, then exactly one gets 200', async () => {
    const { order } = await purchase(ctx, { seats: 1 });
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const code = order.tickets[0]!.code;

    const answers = await Promise.all(Array.from({ length: 6 }, () => admin.post('/api/v1/admin/checkins').send({ code })));

    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(5);
  });

  it('when the code is forged or altered, then it answers 400 ticket_forged and checks nothing in', async () => {
    const { order } = await purchase(ctx, { seats: 1 });
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const code = order.tickets[0]!.code;
    const altered = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    const forged = new TicketSigner('an-attacker-guessed-secret').sign(order.tickets[0]!.id, order.id);

    const a = await admin.post('/api/v1/admin/checkins').send({ code: altered });
    const b = await admin.post('/api/v1/admin/checkins').send({ code: forged });

    expect(a.status).toBe(400);
    expect(a.body.code).toBe('ticket_forged');
    expect(b.status).toBe(400);
    const t = (await ctx.db.query(`SELECT status FROM tickets WHERE id = $1`, [order.tickets[0]!.id])).rows[0];
    expect(t.status).toBe('valid');
  });

  it('when the ticket was refunded, then it answers 409 ticket_void', async () => {
    const { agent, order } = await purchase(ctx, { seats: 1 });
    await agent.post(`/api/v1/orders/${order.id}/cancel`);
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });

    const res = await admin.post('/api/v1/admin/checkins').send({ code: order.tickets[0]!.code });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ticket_void');
  });

  it('when a non-admin scans, then it answers 403', async () => {
    const { agent, order } = await purchase(ctx, { seats: 1 });

    const res = await agent.post('/api/v1/admin/checkins').send({ code: order.tickets[0]!.code });

    expect(res.status).toBe(403);
  });
});

describe('GET /tickets/:ticketId/qr.svg', () => {
  it('when the owner or an admin asks, then it answers an SVG; another user gets 404', async () => {
    const { agent, order } = await purchase(ctx, { seats: 1 });
    const { agent: other } = await signedInAgent(ctx);
    const { agent: admin } = await signedInAgent(ctx, { role: 'admin' });
    const url = `/api/v1/tickets/${order.tickets[0]!.id}/qr.svg`;

    const own = await agent.get(url);
    const foreign = await other.get(url);
    const byAdmin = await admin.get(url);

    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(String(own.body ?? own.text)).toContain('<svg');
    expect(foreign.status).toBe(404);
    expect(byAdmin.status).toBe(200);
  });
});
