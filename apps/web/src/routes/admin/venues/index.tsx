import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { Card, EmptyState } from '../../../components/ui';
import { PageHeader, Pager, fetchVenues } from '../../../features/admin';
import { usePageTitle } from '../../../lib/page-title';

export const Route = createFileRoute('/admin/venues/')({
  validateSearch: z.object({ page: z.coerce.number().int().min(1).optional().catch(undefined) }),
  loaderDeps: ({ search }) => ({ page: search.page ?? 1 }),
  loader: ({ deps, abortController }) => fetchVenues({ page: deps.page, limit: 20 }, abortController.signal),
  staleTime: 0,
  component: VenuesPage,
});

function VenuesPage() {
  usePageTitle('Admin · Venues');
  const list = Route.useLoaderData();
  const navigate = useNavigate({ from: '/admin/venues/' });
  return (
    <>
      <PageHeader
        title="Venues"
        action={
          <Link to="/admin/venues/new" className="inline-flex h-10 items-center rounded-lg bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
            New venue
          </Link>
        }
      >
        Seat layouts that events are generated from.
      </PageHeader>
      {list.items.length === 0 ? (
        <EmptyState
          title="No venues yet"
          action={
            <Link to="/admin/venues/new" className="font-medium text-brand-700 underline">
              Create the first venue
            </Link>
          }
        >
          A venue holds the sections, rows and seats every event in it sells.
        </EmptyState>
      ) : (
        <>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {list.items.map((v) => (
              <li key={v.id}>
                <Card className="h-full p-4">
                  <Link to="/admin/venues/$venueId" params={{ venueId: v.id }} className="font-semibold text-slate-900 hover:text-brand-700 hover:underline">
                    {v.name}
                  </Link>
                  <p className="text-sm text-slate-600">
                    {[v.address, v.city, v.country].filter(Boolean).join(', ')}
                  </p>
                  <p className="mt-2 text-sm text-slate-500">
                    {v.totalSeats.toLocaleString()} seats · {v.timezone}
                  </p>
                </Card>
              </li>
            ))}
          </ul>
          <Pager page={list.page} limit={list.limit} total={list.total} onPage={(page) => void navigate({ search: { page } })} />
        </>
      )}
    </>
  );
}
