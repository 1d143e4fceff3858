import { randomBytes } from 'node:crypto';
import type { RedisClient as Redis } from '../../platform/redis.js';
import { PaymentDeclined, ProviderFailure, type ChargeRequest, type ChargeResult, type PaymentProvider } from './payment-provider.js';

/** Card numbers with a scripted outcome; any other well-formed number that passes the Luhn check is charged successfully. */
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
 * One charge, atomically: the idempotency record, the payment record and the charge counter are
 * written together or not at all, so the ledger can never hold a key without its payment (which
 * made the payment unrefundable). An existing key answers its record and writes nothing.
 * KEYS: idempotency record, payment record, charge counter. ARGV: record JSON, idempotency key, TTL.
 */
const CHARGE_LUA = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
redis.call('INCR', KEYS[3])
return false
`;

/** A refund, atomically: the first one of a payment is recorded and counted; later ones answer it. KEYS: payment, refund, counter. */
const REFUND_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2], 'NX') then redis.call('INCR', KEYS[3]) end
return ARGV[1]
`;

interface SimPayScripts {
  simpayCharge(recordKey: string, paymentKey: string, counterKey: string, record: string, idempotencyKey: string, ttl: number): Promise<string | null>;
  simpayRefund(paymentKey: string, refundKey: string, counterKey: string, refundId: string, ttl: number): Promise<string | null>;
}

/** The Luhn checksum of a card number (digits only): what every real processor checks first. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A stand-in for a card processor. Its ledger lives in Redis (under the process key prefix), every
 * key in the `{simpay}` hash tag so a charge's records are written by one script on one Redis
 * Cluster slot (a real provider keeps its own ledger; this one is small and test-only)
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

  private readonly scripts: Redis & SimPayScripts;

  constructor(
    private readonly redis: Redis,
    private readonly opts: SimulatedProviderOptions,
  ) {
    this.scripts = redis as Redis & SimPayScripts;
    if (typeof this.scripts.simpayCharge !== 'function') {
      redis.defineCommand('simpayCharge', { numberOfKeys: 3, lua: CHARGE_LUA });
      redis.defineCommand('simpayRefund', { numberOfKeys: 3, lua: REFUND_LUA });
    }
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    await sleep(this.opts.latencyMs);
    await this.redis.incr('{simpay}:calls');
    if (this.outage) throw new ProviderFailure('provider_error');
    // A number that fails the checksum is refused before anything else: never charged.
    if (!luhnValid(req.card.number)) throw new PaymentDeclined('card_invalid');
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
    const stored = await this.scripts.simpayCharge(
      `{simpay}:key:${req.idempotencyKey}`,
      `{simpay}:payment:${paymentId}`,
      '{simpay}:charges',
      record,
      req.idempotencyKey,
      KEY_TTL_SECONDS,
    );
    let result: ChargeResult;
    if (stored === null) {
      result = { paymentId };
    } else {
      // A retry of a charge we already made: answer the same payment, charge nothing.
      const existing = JSON.parse(stored) as { paymentId: string; amountCents: number };
      if (existing.amountCents !== req.amountCents) throw new ProviderFailure('provider_error');
      result = { paymentId: existing.paymentId };
    }
    if (this.afterCharge) await this.afterCharge(req, result);
    return result;
  }

  async refund(paymentId: string): Promise<{ refundId: string }> {
    await sleep(this.opts.latencyMs);
    if (this.outage) throw new ProviderFailure('provider_error');
    const refundId = `re_${paymentId.slice(4)}`;
    // Idempotent: the first refund of a payment counts, later ones answer the same refund.
    const done = await this.scripts.simpayRefund(`{simpay}:payment:${paymentId}`, `{simpay}:refund:${paymentId}`, '{simpay}:refunds', refundId, KEY_TTL_SECONDS);
    if (done === null) throw new ProviderFailure('provider_error');
    return { refundId };
  }

  async findCharge(idempotencyKey: string): Promise<ChargeResult | null> {
    if (this.outage) throw new ProviderFailure('provider_error');
    const raw = await this.redis.get(`{simpay}:key:${idempotencyKey}`);
    return raw ? { paymentId: (JSON.parse(raw) as { paymentId: string }).paymentId } : null;
  }

  /** Distinct successful charges so far (a deduplicated retry does not count). */
  async chargeCount(): Promise<number> {
    return Number((await this.redis.get('{simpay}:charges')) ?? 0);
  }

  /** Calls that reached the provider (including declines and failures). */
  async callCount(): Promise<number> {
    return Number((await this.redis.get('{simpay}:calls')) ?? 0);
  }

  async refundCount(): Promise<number> {
    return Number((await this.redis.get('{simpay}:refunds')) ?? 0);
  }

  /** Whether a payment has been refunded. */
  async isRefunded(paymentId: string): Promise<boolean> {
    return (await this.redis.exists(`{simpay}:refund:${paymentId}`)) === 1;
  }
}
