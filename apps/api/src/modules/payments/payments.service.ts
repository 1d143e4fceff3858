import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import client from 'prom-client';
import type { AppDeps } from '../../platform/deps.js';
import { counter } from '../../platform/metrics.js';
import { BreakerOpenError, CircuitBreaker, type BreakerState } from './circuit-breaker.js';
import { PaymentDeclined, PaymentUnavailable, ProviderFailure, type ChargeRequest, type ChargeResult, type PaymentProvider } from './payment-provider.js';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderFailure('timeout')), ms);
  });
  // The provider call itself cannot be cancelled; a late answer is ignored (see checkout.md).
  p.catch(() => {});
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * The payment port checkout uses: a provider behind a timeout and a circuit breaker, with
 * metrics. Throws PaymentDeclined (the card said no) or PaymentUnavailable (provider down,
 * slow, or the breaker is open).
 */
export class PaymentsService {
  readonly breaker: CircuitBreaker;
  private readonly charges;
  private readonly refunds;
  private readonly outcomes;
  /** A refund blip is retried at once a couple of times; longer outages are the owed-refund schedule's job (ADR 0016). */
  private readonly refundRetry = retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 200 }) });

  constructor(
    private readonly deps: Pick<AppDeps, 'env' | 'metrics' | 'logger' | 'readinessDetails'>,
    readonly provider: PaymentProvider,
    /** The breaker's clock (read at each call, so a test can move `Date`). */
    clock: () => number = () => Date.now(),
  ) {
    const { env, metrics } = deps;
    this.breaker = new CircuitBreaker({
      now: clock,
      threshold: env.PAYMENT_BREAKER_THRESHOLD,
      cooldownMs: env.PAYMENT_BREAKER_COOLDOWN_MS,
      onStateChange: (state) => deps.logger.warn({ breaker: state }, 'payment circuit breaker changed state'),
    });
    const breaker = this.breaker;
    if (!metrics.registry.getSingleMetric('payment_breaker_state')) {
      new client.Gauge({
        name: 'payment_breaker_state',
        help: 'Payment provider circuit breaker: 0 closed, 1 half-open, 2 open',
        registers: [metrics.registry],
        collect() {
          this.set(STATE_VALUE[breaker.state]);
        },
      });
    }
    this.charges = counter(metrics.registry, 'payment_charges_total', 'Successful charges at the payment provider');
    this.refunds = counter(metrics.registry, 'payment_refunds_total', 'Refunds at the payment provider');
    this.outcomes = counter(metrics.registry, 'payment_calls_total', 'Payment provider calls by outcome', ['outcome'] as const);
    deps.readinessDetails.payments = () => ({ provider: provider.name, breaker: breaker.state });
  }

  /** Fail fast, before any work, when the breaker would refuse a charge now. */
  assertAvailable(): void {
    if (!this.breaker.canAttempt()) throw new PaymentUnavailable('breaker_open', this.retryAfterSeconds());
  }

  private retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.breaker.retryAfterMs() / 1000));
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    try {
      const result = await this.breaker.exec(
        () => withTimeout(this.provider.charge(req), this.deps.env.PAYMENT_TIMEOUT_MS),
        (err) => !(err instanceof PaymentDeclined),
      );
      this.charges.inc();
      this.outcomes.inc({ outcome: 'succeeded' });
      return result;
    } catch (err) {
      if (err instanceof PaymentDeclined) {
        this.outcomes.inc({ outcome: 'declined' });
        throw err;
      }
      if (err instanceof BreakerOpenError) {
        this.outcomes.inc({ outcome: 'breaker_open' });
        throw new PaymentUnavailable('breaker_open', this.retryAfterSeconds());
      }
      const reason = err instanceof ProviderFailure ? err.reason : 'provider_error';
      this.outcomes.inc({ outcome: reason });
      if (!(err instanceof ProviderFailure)) this.deps.logger.error({ err }, 'unexpected payment provider error');
      throw new PaymentUnavailable(reason, Math.max(1, this.retryAfterSeconds()));
    }
  }

  /**
   * Refund a payment. Deliberately NOT behind the breaker: a refund owed after a failed sale
   * must be attempted even while charges are being refused. Up to 3 tries; idempotent.
   */
  async refund(paymentId: string): Promise<void> {
    await this.refundRetry.execute(() => withTimeout(this.provider.refund(paymentId), this.deps.env.PAYMENT_TIMEOUT_MS));
    this.refunds.inc();
  }

  /** The charge made under `idempotencyKey`, if any; throws when the provider cannot tell. */
  async findCharge(idempotencyKey: string): Promise<ChargeResult | null> {
    return withTimeout(this.provider.findCharge(idempotencyKey), this.deps.env.PAYMENT_TIMEOUT_MS);
  }

  breakerState(): BreakerState {
    return this.breaker.state;
  }
}
