import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { PaymentDeclined, ProviderFailure, type ChargeRequest, type ChargeResult, type PaymentProvider } from './payment-provider.js';

/** Card numbers with a scripted outcome; any other well-formed number is charged successfully. */
export const TEST_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  providerError: '4000000000000119',
  slow: '4000000000006975',
} as const;

export interface SimulatedProviderOptions {
  /** Latency of every call. */
  latencyMs: number;
  /** How long the "slow" card takes before it succeeds (longer than the client timeout, usually). */
  slowMs: number;
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
const KEY_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A stand-in for a card processor. Its ledger lives in Redis (under the process key prefix)
 * so several API instances share one "provider", as they would share a real one: a charge
 * is idempotent on its key across instances, and counters let tests assert "charged once".
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = 'simulated';
  /**
   * Test hook: awaited after a charge is recorded and before `charge` returns, e.g. to change
   * the database between the charge and the sale. Never set outside tests.
   */
  afterCharge: ((req: ChargeRequest, result: ChargeResult) => Promise<void>) | null = null;
  /** Test hook: force every call to fail as if the provider were down. */
  outage = false;

  constructor(
    private readonly redis: Redis,
    private readonly opts: SimulatedProviderOptions,
  ) {}

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    await sleep(this.opts.latencyMs);
    await this.redis.incr('simpay:calls');
    if (this.outage) throw new ProviderFailure('provider_error');
    switch (req.card.number) {
      case TEST_CARDS.declined:
        throw new PaymentDeclined('card_declined');
      case TEST_CARDS.insufficientFunds:
        throw new PaymentDeclined('insufficient_funds');
      case TEST_CARDS.providerError:
        throw new ProviderFailure('provider_error');
      case TEST_CARDS.slow:
        await sleep(this.opts.slowMs);
        break;
    }
    const now = new Date();
    if (req.card.expYear < now.getUTCFullYear() || (req.card.expYear === now.getUTCFullYear() && req.card.expMonth < now.getUTCMonth() + 1)) {
      throw new PaymentDeclined('expired_card');
    }
    const paymentId = `pay_${randomBytes(12).toString('hex')}`;
    const record = JSON.stringify({ paymentId, amountCents: req.amountCents, currency: req.currency });
    const created = await this.redis.set(`simpay:key:${req.idempotencyKey}`, record, 'EX', KEY_TTL_SECONDS, 'NX');
    let result: ChargeResult;
    if (created) {
      await this.redis
        .multi()
        .set(`simpay:payment:${paymentId}`, req.idempotencyKey, 'EX', KEY_TTL_SECONDS)
        .incr('simpay:charges')
        .exec();
      result = { paymentId };
    } else {
      // A retry of a charge we already made: answer the same payment, charge nothing.
      const existing = JSON.parse((await this.redis.get(`simpay:key:${req.idempotencyKey}`)) ?? 'null') as { paymentId: string; amountCents: number } | null;
      if (!existing) throw new ProviderFailure('provider_error');
      if (existing.amountCents !== req.amountCents) throw new ProviderFailure('provider_error');
      result = { paymentId: existing.paymentId };
    }
    if (this.afterCharge) await this.afterCharge(req, result);
    return result;
  }

  async refund(paymentId: string): Promise<{ refundId: string }> {
    await sleep(this.opts.latencyMs);
    if (this.outage) throw new ProviderFailure('provider_error');
    const key = await this.redis.get(`simpay:payment:${paymentId}`);
    if (!key) throw new ProviderFailure('provider_error');
    const refundId = `re_${paymentId.slice(4)}`;
    // Idempotent: the first refund of a payment counts, later ones answer the same refund.
    const first = await this.redis.set(`simpay:refund:${paymentId}`, refundId, 'EX', KEY_TTL_SECONDS, 'NX');
    if (first) await this.redis.incr('simpay:refunds');
    return { refundId };
  }

  async findCharge(idempotencyKey: string): Promise<ChargeResult | null> {
    if (this.outage) throw new ProviderFailure('provider_error');
    const raw = await this.redis.get(`simpay:key:${idempotencyKey}`);
    return raw ? { paymentId: (JSON.parse(raw) as { paymentId: string }).paymentId } : null;
  }

  /** Distinct successful charges so far (a deduplicated retry does not count). */
  async chargeCount(): Promise<number> {
    return Number((await this.redis.get('simpay:charges')) ?? 0);
  }

  /** Calls that reached the provider (including declines and failures). */
  async callCount(): Promise<number> {
    return Number((await this.redis.get('simpay:calls')) ?? 0);
  }

  async refundCount(): Promise<number> {
    return Number((await this.redis.get('simpay:refunds')) ?? 0);
  }

  /** Whether a payment has been refunded. */
  async isRefunded(paymentId: string): Promise<boolean> {
    return (await this.redis.exists(`simpay:refund:${paymentId}`)) === 1;
  }
}
