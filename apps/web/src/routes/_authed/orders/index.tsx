import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { EmptyState, ErrorState } from '../../../components/ui';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime, formatEventTime, formatMoney } from '../../../lib/format';
import { OrderStatusBadge, fetchOrders } from '../../../features/orders';
import { Pagination } from '../../../features/events';
import { usePageTitle } from '../../../lib/page-title';

export const Route = createFileRoute('/_authed/orders/')({
  validateSearch: z.object({ page: z.coerce.number().int().min(1).optional().catch(undefined) }),
  loaderDeps: ({ search }) => ({ page: search.page ?? 1 }),
  loader: ({ deps, abortController }) => fetchOrders(deps.page, abortController.signal),
  component: OrdersPage,
  errorComponent: ({ error, reset }) => (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <ErrorState title="Could not load your orders" message={errorMessage(error)} onRetry={reset} />
    </div>
  ),
});

function OrdersPage() {
  usePageTitle('My orders');
  const data = Route.useLoaderData();
  const navigate = useNavigate({ from: '/orders/' });
  return (
    <div className="mx-auto max-w-4xl space-y-6 px-4 py-6 sm:py-8">
      <h1 className="text-2xl font-bold">My orders</h1>
      {data.items.length === 0 ? (
        <EmptyState
          title="No orders yet"
          action={
            <Link to="/" className="font-medium text-brand-700 underline">
              Find an event
            </Link>
          }
        >
          When you buy tickets they appear here with their QR codes.
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {data.items.map((o) => (
            <li key={o.id}>
              <Link
                to="/orders/$orderId"
                params={{ orderId: o.id }}
                className="flex flex-col gap-2 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 transition hover:shadow-md sm:flex-row sm:items-center sm:justify-between"
              >
                <div>
                  <p className="font-semibold">{o.event?.name ?? 'Event'}</p>
                  <p className="text-sm text-slate-600">
                    {o.event ? `${formatEventTime(o.event.startsAt, o.event.venueTimeZone)} · ${o.event.venueName}` : `Ordered ${formatDateTime(o.createdAt)}`}
                  </p>
                  <p className="text-sm text-slate-500">
                    {o.tickets.length} ticket{o.tickets.length === 1 ? '' : 's'} · ordered {formatDateTime(o.createdAt)}
                  </p>
                </div>
                <div className="flex items-center gap-3">
                  <OrderStatusBadge status={o.status} />
                  <span className="font-semibold tabular-nums">{formatMoney(o.totalCents, o.currency)}</span>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={data.page} limit={data.limit} total={data.total} onPage={(page) => void navigate({ search: { page: page === 1 ? undefined : page } })} />
    </div>
  );
}
