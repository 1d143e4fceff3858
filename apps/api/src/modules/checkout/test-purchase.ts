import { randomUUID } from 'node:crypto';
import type { TestContext } from '../../../test/context.js';
import { signedInAgent } from '../../../test/context.js';
import { createTestEvent, createTestHold, type TestEventOptions } from '../../../test/factories.js';
import { TEST_CARDS } from '../payments/simulated-provider.js';

/** A card body for POST /checkout (test helper). */
export const testCard = (cardNumber: string = TEST_CARDS.success) => ({ cardNumber, expMonth: 12, expYear: 2099, cvc: '123', name: 'Test Buyer' });

/** Test helper: a signed-in user who bought `seats` seats of a fresh (or given) event through POST /checkout. */
export async function purchase(ctx: TestContext, o: { seats?: number; eventId?: string; seatIds?: string[]; event?: TestEventOptions } = {}) {
  const ev = o.eventId ? { eventId: o.eventId, seatIds: o.seatIds ?? [] } : await createTestEvent(ctx.db, o.event ?? { sections: [{ rows: 1, seatsPerRow: 10, priceCents: 2500 }] });
  const seatIds = o.seatIds ?? ev.seatIds.slice(0, o.seats ?? 2);
  const buyer = await signedInAgent(ctx);
  const { holdId } = await createTestHold(ctx.db, { eventId: ev.eventId, userId: buyer.user.id, seatIds });
  const res = await buyer.agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: testCard() });
  if (res.status !== 201) throw new Error(`purchase failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...buyer, eventId: ev.eventId, seatIds, order: res.body as { id: string; tickets: { id: string; code: string }[]; totalCents: number } };
}
