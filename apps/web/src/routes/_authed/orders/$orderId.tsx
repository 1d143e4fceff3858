import { createFileRoute, Link, useRouter } from '@tanstack/react-router';
import { ErrorState, toast } from '../../../components/ui';
import { errorMessage, isProblem } from '../../../lib/api-client';
import { formatDateTime, formatEventTime, formatMoney } from '../../../lib/format';
import { CancelOrderButton, OrderStatusBadge, TicketCard, fetchOrder, orderOutcomeMessage } from '../../../features/orders';
import { usePageTitle } from '../../../lib/page-title';

export const Route = createFileRoute('/_authed/orders/$orderId')({
  loader: ({ params, abortController }) => fetchOrder(params.orderId, abortController.signal),
  component: OrderPage,
  errorComponent: ({ error, reset }) => (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <ErrorState title={isProblem(error, 'not_found') ? 'Order not found' : 'Could not load this order'} message={errorMessage(error)} onRetry={reset}>
        <Link to="/orders" className="font-medium text-red-900 underline">
          All my orders
        </Link>
      </ErrorState>
    </div>
  ),
});

function OrderPage() {
  const order = Route.useLoaderData();
  usePageTitle(`Order: ${order.event?.name ?? 'tickets'}`);
  const router = useRouter();
  const name = order.event?.name ?? 'Your event';
  const active = order.status === 'completed';
  const upcoming = !order.event || new Date(order.event.startsAt) > new Date();
  return (
    <div className="mx-auto max-w-4xl space-y-6 px-4 py-6 sm:py-8">
      <Link to="/orders" className="text-sm font-medium text-brand-700 underline">
        ← My orders
      </Link>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold">{name}</h1>
          {order.event && (
            <p className="text-slate-700">
              {formatEventTime(order.event.startsAt, order.event.venueTimeZone)} · {order.event.venueName}
            </p>
          )}
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <OrderStatusBadge status={order.status} /> Order {order.id.slice(0, 8)} · {formatDateTime(order.createdAt)} ·{' '}
            <span className="font-medium text-slate-900">{formatMoney(order.totalCents, order.currency)}</span>
          </p>
        </div>
        {active && upcoming && (
          <CancelOrderButton
            order={order}
            onCancelled={() => {
              toast('success', 'Order cancelled and refunded.');
              void router.invalidate();
            }}
          />
        )}
      </div>
      {!active && (
        <p role="status" className="rounded-lg bg-slate-100 px-4 py-3 text-slate-700">
          {orderOutcomeMessage(order)}
        </p>
      )}
      <section aria-labelledby="tickets-title">
        <h2 id="tickets-title" className="mb-3 text-lg font-semibold">
          Tickets
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {order.tickets.map((t) => (
            <TicketCard key={t.id} ticket={t} eventName={name} void={!active} />
          ))}
        </ul>
      </section>
    </div>
  );
}
