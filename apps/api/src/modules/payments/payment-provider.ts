/** Card data handed to a provider for one charge. Never logged, never stored (only the last 4 digits are). */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name: string;
}

export interface ChargeRequest {
  /** The provider deduplicates on this key: the same key never charges twice. We use the order id. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  card: CardDetails;
}

export interface ChargeResult {
  paymentId: string;
}

/** A payment provider (Stripe-like). `charge` is idempotent on its key; `refund` is idempotent on the payment. */
export interface PaymentProvider {
  readonly name: string;
  charge(req: ChargeRequest): Promise<ChargeResult>;
  refund(paymentId: string): Promise<{ refundId: string }>;
  /** The charge made under this idempotency key, if any (recovery after a crash or a timeout). */
  findCharge(idempotencyKey: string): Promise<ChargeResult | null>;
}

/** The provider answered and said no (the card, not the provider, is the problem). Not a breaker failure. */
export class PaymentDeclined extends Error {
  constructor(readonly reason: 'card_declined' | 'insufficient_funds' | 'expired_card' | 'card_invalid') {
    super(`payment declined: ${reason}`);
    this.name = 'PaymentDeclined';
  }
}

/** The provider could not be reached or failed; the charge outcome is unknown or negative. Counts for the breaker. */
export class ProviderFailure extends Error {
  constructor(readonly reason: 'provider_error' | 'timeout') {
    super(`payment provider failure: ${reason}`);
    this.name = 'ProviderFailure';
  }
}

/** We did not call the provider at all: the circuit breaker is open. */
export class PaymentUnavailable extends Error {
  constructor(
    readonly reason: 'provider_error' | 'timeout' | 'breaker_open',
    readonly retryAfterSeconds: number,
  ) {
    super(`payment unavailable: ${reason}`);
    this.name = 'PaymentUnavailable';
  }
}
