import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { PaymentsService } from './payments.service.js';
import { SimulatedPaymentProvider } from './simulated-provider.js';

/**
 * The payments module: the provider behind a timeout and a circuit breaker. No routes; checkout
 * and orders call the service. `provider` is the simulated provider (tests script it and count charges).
 */
export function createPaymentsModule(deps: AppDeps): AppModule<PaymentsService> & { provider: SimulatedPaymentProvider } {
  const provider = new SimulatedPaymentProvider(deps.redis, {
    latencyMs: deps.env.SIMULATED_PAYMENT_LATENCY_MS,
    slowMs: deps.env.SIMULATED_PAYMENT_SLOW_MS,
  });
  return { service: new PaymentsService(deps, provider), provider };
}
