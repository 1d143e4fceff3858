/** The simulated provider's scripted cards (apps/api/src/modules/payments/simulated-provider.ts). */
export const TEST_CARDS = [
  { number: '4242424242424242', outcome: 'Succeeds' },
  { number: '4000000000000002', outcome: 'Declined (402)' },
  { number: '4000000000009995', outcome: 'Insufficient funds (402)' },
  { number: '4000000000000119', outcome: 'Provider error (503, retry)' },
] as const;
