import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, signedInAgent, TEST_PASSWORD, type TestContext } from '../../../test/context.js';
import { createTestEvent, createTestHold } from '../../../test/factories.js';
import { testCard } from '../checkout/test-purchase.js';
import { BreakerOpenError, CircuitBreaker, type BreakerState } from './circuit-breaker.js';
import { TEST_CARDS } from './simulated-provider.js';

describe('CircuitBreaker', () => {
  const setup = () => {
    let now = 1_000;
    const states: BreakerState[] = [];
    const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 100, now: () => now, onStateChange: (s) => states.push(s) });
    const fail = () => breaker.exec(() => Promise.reject(new Error('down'))).catch((e) => e);
    const ok = () => breaker.exec(() => Promise.resolve('ok'));
    return { breaker, states, fail, ok, advance: (ms: number) => (now += ms) };
  };

  it('when failures are fewer than the threshold or broken by a success, then it stays closed', async () => {
    const { breaker, fail, ok } = setup();
    await fail();
    await fail();
    await ok();
    await fail();
    await fail();
    expect(breaker.state).toBe('closed');
  });

  it('when N consecutive calls fail, then it opens and refuses calls without running them', async () => {
    const { breaker, fail } = setup();
    for (let i = 0; i < 3; i++) await fail();
    let ran = false;
    const err = await breaker.exec(async () => (ran = true)).catch((e) => e);
    expect(breaker.state).toBe('open');
    expect(err).toBeInstanceOf(BreakerOpenError);
    expect(ran).toBe(false);
  });

  it('when the cool-down has passed, then exactly one trial goes through, and its success closes the breaker', async () => {
    const { breaker, fail, advance, states } = setup();
    for (let i = 0; i < 3; i++) await fail();
    advance(100);
    expect(breaker.state).toBe('half_open');
    let release!: () => void;
    const trial = breaker.exec(() => new Promise<void>((r) => (release = r)));
    const second = await breaker.exec(async () => 'no').catch((e) => e);
    expect(second).toBeInstanceOf(BreakerOpenError);
    release();
    await trial;
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });

  it('when the half-open trial fails, then it opens again for a full cool-down', async () => {
    const { breaker, fail, advance } = setup();
    for (let i = 0; i < 3; i++) await fail();
    advance(150);
    await fail();
    expect(breaker.state).toBe('open');
    advance(50);
    expect(breaker.canAttempt()).toBe(false);
    advance(60);
    expect(breaker.canAttempt()).toBe(true);
  });

  it('when an error is not counted as a failure (a decline), then it does not open', async () => {
    const { breaker } = setup();
    for (let i = 0; i < 5; i++) await breaker.exec(() => Promise.reject(new Error('declined')), () => false).catch(() => {});
    expect(breaker.state).toBe('closed');
  });
});

describe('payments through checkout', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({
      SIMULATED_PAYMENT_LATENCY_MS: '0',
      PAYMENT_BREAKER_THRESHOLD: '2',
      PAYMENT_BREAKER_COOLDOWN_MS: '3000',
      PAYMENT_TIMEOUT_MS: '150',
      SIMULATED_PAYMENT_SLOW_MS: '600',
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  async function holdFor(agentUser: { id: string }, expiresInSeconds = 600) {
    const ev = await createTestEvent(ctx.db);
    return createTestHold(ctx.db, { eventId: ev.eventId, userId: agentUser.id, seatIds: ev.seatIds.slice(0, 1), expiresInSeconds });
  }

  it('when the provider keeps failing, then the breaker opens, checkout answers 503 fast without calling the provider, and after the cool-down a success closes it', async () => {
    const { agent, user } = await signedInAgent(ctx);
    const provider = ctx.services.paymentProvider;
    const pay = async (cardNumber: string) => {
      const { holdId } = await holdFor(user);
      return agent.post('/api/v1/checkout').set('Idempotency-Key', randomUUID()).send({ holdId, payment: testCard(cardNumber) });
    };

    const failures = [await pay(TEST_CARDS.providerError), await pay(TEST_CARDS.providerError)];
    const callsBefore = await provider.callCount();
    const t0 = Date.now();
    const refused = await pay(TEST_CARDS.success);
    const refusedMs = Date.now() - t0;
    const ready = await agent.get('/ready');
    const metrics = await agent.get('/metrics');

    expect(failures.map((f) => f.status)).toEqual([503, 503]);
    expect(failures[0]!.body.code).toBe('payment_unavailable');
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('payment_unavailable');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refusedMs).toBeLessThan(1_000);
    expect(await provider.callCount()).toBe(callsBefore);
    expect(ready.status).toBe(200);
    expect(ready.body.checks.payments).toMatchObject({ breaker: 'open' });
    expect(metrics.text).toMatch(/payment_breaker_state\{[^}]*\} 2/);
    const refusedOrders = await ctx.db.query(`SELECT count(*)::int AS n FROM orders WHERE user_id = $1 AND status = 'pending'`, [user.id]);
    expect(refusedOrders.rows[0].n).toBe(0);

    // Past the 3 s cool-down: the breaker's clock is moved, not waited for.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_100 });
    let recovered;
    try {
      recovered = await pay(TEST_CARDS.success);
    } finally {
      vi.useRealTimers();
    }

    expect(recovered.status).toBe(201);
    expect(ctx.services.payments.breakerState()).toBe('closed');
    expect((await agent.get('/ready')).body.checks.payments).toMatchObject({ breaker: 'closed' });
  });

  it('when the provider is slower than the timeout, then checkout answers 503 in time, the order is retryable and the hold keeps its own expiry', async () => {
    const app = ctx.sibling({ PAYMENT_TIMEOUT_MS: '150', SIMULATED_PAYMENT_SLOW_MS: '600', PAYMENT_BREAKER_THRESHOLD: '5' });
    const { agent, user, email } = await signedInAgent({ agent: app.agent, db: ctx.db });
    const { holdId, expiresAt } = await holdFor(user, 60);
    const key = randomUUID();

    const t0 = Date.now();
    const res = await agent.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: testCard(TEST_CARDS.slow) });
    const ms = Date.now() - t0;

    expect(res.status).toBe(503);
    expect(res.body.code).toBe('payment_unavailable');
    expect(ms).toBeLessThan(1_500); // the 150 ms timeout, not the provider's 600 ms, bounds it (generous for a loaded box)
    const order = (await ctx.db.query(`SELECT id, status, failure_code FROM orders WHERE user_id = $1`, [user.id])).rows[0];
    expect(order).toMatchObject({ status: 'failed', failure_code: 'payment_unavailable' });
    const hold = (await ctx.db.query(`SELECT status, expires_at FROM holds WHERE id = $1`, [holdId])).rows[0];
    expect(hold.status).toBe('active');
    expect(hold.expires_at.getTime()).toBe(expiresAt.getTime());

    // The late charge lands at the provider; a retry with the same key finds it instead of charging again.
    const deadline = Date.now() + 5_000;
    while (!(await ctx.services.paymentProvider.findCharge(order.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const chargesBefore = await ctx.services.paymentProvider.chargeCount();
    // Same key, same body, answered by an instance with a longer timeout.
    const patient = ctx.sibling({ PAYMENT_TIMEOUT_MS: '2000', SIMULATED_PAYMENT_SLOW_MS: '600' });
    const again = patient.agent();
    await again.post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
    const retry = await again.post('/api/v1/checkout').set('Idempotency-Key', key).send({ holdId, payment: testCard(TEST_CARDS.slow) });

    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(order.id);
    expect(await ctx.services.paymentProvider.chargeCount()).toBe(chargesBefore);
  });
});
