export { submitCheckout } from './api/checkout-api';
export { attemptKey, renewAttemptKey, forgetAttemptKey } from './lib/idempotency-key';
export { CardForm } from './components/card-form';
