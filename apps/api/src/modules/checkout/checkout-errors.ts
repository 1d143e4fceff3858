import { AppError } from '../../platform/errors.js';
import { PaymentDeclined, PaymentUnavailable } from '../payments/payment-provider.js';

/** Thrown inside the sale when the order left the caller's status (recovery claimed it): roll back, answer its outcome. */
export class OrderTakenOver extends Error {}

/** The answer a stored (or just decided) failure gives, as the first answer said. */
export function storedFailure(code: string | null): AppError {
  switch (code) {
    case 'payment_declined':
      return new AppError(402, 'payment_declined', 'The payment was declined.');
    case 'card_invalid':
      return new AppError(402, 'card_invalid', 'The card number is not valid. Nothing was charged.');
    case 'event_cancelled':
      return new AppError(409, 'event_cancelled', 'This event has been cancelled.');
    default:
      return new AppError(410, 'hold_expired', 'The hold has expired or is no longer active. Nothing was charged.');
  }
}

/** Another request with this key is being processed: answered at once, the client retries after `Retry-After`. */
export function checkoutInProgress(retryAfterSeconds = 1): AppError {
  return new AppError(409, 'checkout_in_progress', 'A request with this Idempotency-Key is still being processed. Retry shortly with the same key.', {}, {
    'Retry-After': String(retryAfterSeconds),
  });
}

/** A payment error as the buyer's answer (rethrows anything else). */
export function paymentError(err: unknown): AppError {
  if (err instanceof PaymentDeclined && err.reason === 'card_invalid') return storedFailure('card_invalid');
  if (err instanceof PaymentDeclined) return new AppError(402, 'payment_declined', 'The payment was declined.', { reason: err.reason });
  if (err instanceof PaymentUnavailable) {
    return new AppError(503, 'payment_unavailable', 'Payments are temporarily unavailable. Try again shortly with the same Idempotency-Key.', {}, {
      'Retry-After': String(err.retryAfterSeconds),
    });
  }
  if (err instanceof AppError) return err;
  throw err;
}
