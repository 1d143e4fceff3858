/** closed: calls pass; open: calls refused until the cool-down ends; half_open: one trial call in flight. */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  threshold: number;
  /** Time the breaker stays open before one trial is let through. */
  cooldownMs: number;
  /** Clock (tests pass a fake one). */
  now?: () => number;
  onStateChange?: (state: BreakerState) => void;
}

/** Thrown instead of calling when the breaker refuses. */
export class BreakerOpenError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('circuit breaker open');
    this.name = 'BreakerOpenError';
  }
}

/**
 * A small consecutive-failure circuit breaker. Per process on purpose: each API instance
 * learns about the provider from its own calls, and no shared store sits on the payment path.
 * `isFailure` decides which errors count (a declined card is an answer, not an outage).
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The state as a caller would see it now (an open breaker past its cool-down reads half_open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.opts.cooldownMs) return 'half_open';
    return this.current;
  }

  /** Whether a call made now would be let through (does not reserve the half-open trial). */
  canAttempt(): boolean {
    const s = this.state;
    return s === 'closed' || (s === 'half_open' && !this.trialInFlight);
  }

  /** Milliseconds until the breaker may let a call through again (0 when it would now). */
  retryAfterMs(): number {
    if (this.canAttempt()) return 0;
    if (this.current === 'open') return Math.max(0, this.opts.cooldownMs - (this.now() - this.openedAt));
    return Math.min(1000, this.opts.cooldownMs);
  }

  /** Run `fn` through the breaker. */
  async exec<T>(fn: () => Promise<T>, isFailure: (err: unknown) => boolean = () => true): Promise<T> {
    const trial = this.acquire();
    try {
      const result = await fn();
      this.succeeded();
      return result;
    } catch (err) {
      if (isFailure(err)) this.failed(trial);
      else this.succeeded();
      throw err;
    }
  }

  /** Reserve a call slot; returns whether this call is the half-open trial. */
  private acquire(): boolean {
    const s = this.state;
    if (s === 'closed') return false;
    if (s === 'half_open' && !this.trialInFlight) {
      this.trialInFlight = true;
      this.set('half_open');
      return true;
    }
    throw new BreakerOpenError(this.retryAfterMs());
  }

  private succeeded(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.current !== 'closed') this.set('closed');
  }

  private failed(trial: boolean): void {
    if (trial || this.current === 'half_open') {
      this.trialInFlight = false;
      this.open();
      return;
    }
    this.failures += 1;
    if (this.current === 'closed' && this.failures >= this.opts.threshold) this.open();
  }

  private open(): void {
    this.openedAt = this.now();
    this.failures = 0;
    this.set('open');
  }

  private set(state: BreakerState): void {
    if (this.current === state) return;
    this.current = state;
    this.opts.onStateChange?.(state);
  }
}
