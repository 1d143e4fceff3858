import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import type { PaymentInput } from '@ticketing/shared';
import { Button, Card, Countdown, EmptyState, ErrorState, toast } from '../../../../components/ui';
import { errorMessage, isProblem, ProblemError } from '../../../../lib/api-client';
import { problemFieldErrors } from '../../../../lib/form-errors';
import { formatEventTime, formatMoney } from '../../../../lib/format';
import { fetchEvent } from '../../../../features/events';
import { fetchCurrentHold, selectionStore } from '../../../../features/booking';
import { CardForm, attemptKey, forgetAttemptKey, renewAttemptKey, submitCheckout } from '../../../../features/checkout';
import { usePageTitle } from '../../../../lib/page-title';

export const Route = createFileRoute('/_authed/events/$eventId/checkout')({
  loader: async ({ params, abortController }) => {
    const [event, hold] = await Promise.all([fetchEvent(params.eventId, abortController.signal), fetchCurrentHold(params.eventId, abortController.signal)]);
    return { event, hold };
  },
  staleTime: 0,
  gcTime: 0,
  component: CheckoutPage,
  errorComponent: ({ error, reset }) => (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <ErrorState title="Could not open checkout" message={errorMessage(error)} onRetry={reset} />
    </div>
  ),
});

type Outcome =
  | { kind: 'idle' }
  | { kind: 'declined'; message: string }
  | { kind: 'expired' }
  /** `payment`: the very request "Try again" sends once more (same idempotency key). */
  | { kind: 'unavailable'; message: string; payment: PaymentInput }
  | { kind: 'error'; message: string };

const MAX_IN_PROGRESS_RETRIES = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function CheckoutPage() {
  const { event, hold } = Route.useLoaderData();
  usePageTitle(`Checkout: ${event.name}`);
  const navigate = useNavigate();
  const [submitting, setSubmitting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [expired, setExpired] = useState(false);
  const inFlight = useRef(false);

  if (!hold || expired || outcome.kind === 'expired') {
    return (
      <div className="mx-auto max-w-2xl px-4 py-10">
        <EmptyState
          title={outcome.kind === 'expired' || expired ? 'Your hold expired' : 'No seats on hold'}
          action={
            <Link to="/events/$eventId" params={{ eventId: event.id }} className="font-medium text-brand-700 underline">
              Back to the seat map
            </Link>
          }
        >
          {outcome.kind === 'expired' || expired
            ? 'The seats were released before the payment completed. Nothing was charged. Pick seats again to continue.'
            : `You have no seats held for ${event.name}. Pick seats on the seat map first.`}
        </EmptyState>
      </div>
    );
  }
  const currentHold = hold;

  async function pay(payment: PaymentInput) {
    // A double click or Enter twice must not start a second attempt.
    if (inFlight.current) return;
    inFlight.current = true;
    setSubmitting(true);
    setOutcome({ kind: 'idle' });
    setFieldErrors({});
    const key = attemptKey(currentHold.id);
    try {
      let order;
      for (let attempt = 0; ; attempt++) {
        try {
          order = await submitCheckout({ holdId: currentHold.id, payment }, key);
          break;
        } catch (e) {
          // The same key is being processed (an earlier click, a retry, recovery): the API answers
          // 409 checkout_in_progress at once; ask again after its Retry-After for the outcome.
          if ((isProblem(e, 'checkout_in_progress') || isProblem(e, 'idempotency_in_progress')) && attempt < MAX_IN_PROGRESS_RETRIES) {
            await sleep((e.retryAfterSeconds ?? 1) * 1000);
            continue;
          }
          throw e;
        }
      }
      forgetAttemptKey(currentHold.id);
      selectionStore.getState().forEvent('');
      toast('success', 'Payment complete — your tickets are ready.');
      void navigate({ to: '/orders/$orderId', params: { orderId: order.id }, replace: true });
    } catch (e) {
      if (!(e instanceof ProblemError)) {
        setOutcome({ kind: 'error', message: errorMessage(e) });
      } else if (e.code === 'payment_declined') {
        // A decline is the final answer for this key: another card is a new attempt.
        renewAttemptKey(currentHold.id);
        setOutcome({ kind: 'declined', message: e.detail ?? 'Your card was declined.' });
      } else if (e.code === 'hold_expired' || e.status === 410) {
        forgetAttemptKey(currentHold.id);
        selectionStore.getState().holdExpired();
        setOutcome({ kind: 'expired' });
      } else if (e.code === 'payment_unavailable' || e.status === 503 || e.code === 'network_error') {
        // Keep the key: retrying it can never charge twice.
        setOutcome({
          kind: 'unavailable',
          payment,
          message:
            e.code === 'network_error'
              ? 'The connection dropped before we heard back. Try again — you will not be charged twice.'
              : 'Payments are temporarily unavailable. Your card was not charged. Try again in a moment — you will not be charged twice.',
        });
      } else if (e.code === 'idempotency_conflict') {
        renewAttemptKey(currentHold.id);
        setOutcome({ kind: 'error', message: 'Your card details changed since the last attempt. Press Pay again to pay with the new details.' });
      } else if (e.code === 'validation_failed') {
        setFieldErrors(problemFieldErrors(e, 'body.payment.'));
        setOutcome({ kind: 'error', message: e.userMessage });
      } else {
        setOutcome({ kind: 'error', message: e.userMessage });
      }
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  }

  return (
    <div className="mx-auto max-w-5xl px-4 py-6 sm:py-8">
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Checkout</h1>
        <Countdown expiresAt={currentHold.expiresAt} onExpire={() => setExpired(true)} />
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <Card className="order-2 p-5 sm:p-6 lg:order-1">
          <h2 className="mb-4 text-lg font-semibold">Payment</h2>
          {outcome.kind !== 'idle' && (
            <div
              role="alert"
              className={
                outcome.kind === 'unavailable'
                  ? 'mb-4 rounded-lg bg-amber-50 px-4 py-3 text-amber-950 ring-1 ring-amber-300'
                  : 'mb-4 rounded-lg bg-red-50 px-4 py-3 text-red-900 ring-1 ring-red-200'
              }
            >
              <p className="font-medium">{outcome.kind === 'declined' ? 'Payment declined' : outcome.kind === 'unavailable' ? 'Payment not completed' : 'Something went wrong'}</p>
              <p className="text-sm">{outcome.kind === 'declined' ? `${outcome.message} Try another card.` : 'message' in outcome ? outcome.message : ''}</p>
              {outcome.kind === 'unavailable' && (
                <Button className="mt-3" variant="secondary" loading={submitting} onClick={() => void pay(outcome.payment)}>
                  Try again
                </Button>
              )}
            </div>
          )}
          <CardForm
            submitting={submitting}
            serverErrors={fieldErrors}
            submitLabel={`Pay ${formatMoney(currentHold.totalCents, currentHold.currency)}`}
            onSubmit={(p) => void pay(p)}
          />
          <p className="mt-3 text-center text-xs text-slate-500">Payments are simulated in this demo. Card details are never stored.</p>
        </Card>
        <Card className="order-1 h-fit p-5 sm:p-6 lg:order-2">
          <h2 className="text-lg font-semibold">Order summary</h2>
          <p className="mt-2 font-medium">{event.name}</p>
          <p className="text-sm text-slate-600">
            {formatEventTime(event.startsAt, event.venue.timezone)} · {event.venue.name}, {event.venue.city}
          </p>
          <ul className="mt-4 divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
            {currentHold.seats.map((s) => (
              <li key={s.id} className="flex justify-between gap-2 px-3 py-2 text-sm">
                <span>
                  {s.section} · Row {s.row} · Seat {s.number}
                </span>
                <span className="tabular-nums">{formatMoney(s.priceCents, currentHold.currency)}</span>
              </li>
            ))}
          </ul>
          <div className="mt-4 flex items-center justify-between border-t border-slate-200 pt-3">
            <span className="font-medium">Total</span>
            <span className="text-xl font-semibold tabular-nums">{formatMoney(currentHold.totalCents, currentHold.currency)}</span>
          </div>
          <Link to="/events/$eventId" params={{ eventId: event.id }} className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
            ← Back to seats
          </Link>
        </Card>
      </div>
    </div>
  );
}
