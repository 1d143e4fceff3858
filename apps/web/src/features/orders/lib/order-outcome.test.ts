import { describe, expect, it } from 'vitest';
import { orderOutcomeMessage } from './order-outcome';

describe('orderOutcomeMessage', () => {
  it('when a charged order is being refunded because the seats were gone, then it says so and that no tickets were issued', () => {
    expect(orderOutcomeMessage({ status: 'refund_pending', statusReason: 'hold_expired' })).toBe(
      'Your payment is being refunded: your seats were no longer held when the payment went through. No tickets were issued.',
    );
  });

  it('when the refund was made for a cancelled event, then it says refunded and why', () => {
    expect(orderOutcomeMessage({ status: 'refunded', statusReason: 'event_cancelled' })).toBe('Your payment was refunded: the event was cancelled. No tickets were issued.');
  });

  it('when a completed order was cancelled by the buyer (no reason), then the tickets are no longer valid', () => {
    expect(orderOutcomeMessage({ status: 'refunded', statusReason: null })).toBe('This order was refunded; its tickets are no longer valid.');
  });
});
