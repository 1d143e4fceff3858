import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { EventStatus } from '@ticketing/shared';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { Button, EmptyState, Input, Select } from '../../../components/ui';
import { EventTable, PageHeader, Pager, fetchAdminEvents } from '../../../features/admin';
import { usePageTitle } from '../../../lib/page-title';

const Search = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: EventStatus.optional().catch(undefined),
  page: z.coerce.number().int().min(1).optional().catch(undefined),
});

export const Route = createFileRoute('/admin/events/')({
  validateSearch: Search,
  loaderDeps: ({ search }) => search,
  loader: ({ deps, abortController }) => fetchAdminEvents({ q: deps.q, status: deps.status, page: deps.page ?? 1, limit: 20, sort: '-date' }, abortController.signal),
  staleTime: 0,
  component: AdminEventsPage,
});

function AdminEventsPage() {
  usePageTitle('Admin · Events');
  const list = Route.useLoaderData();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: '/admin/events/' });
  const [q, setQ] = useState(search.q ?? '');
  const filtered = Boolean(search.q || search.status);

  function submit(e: FormEvent) {
    e.preventDefault();
    void navigate({ search: (s) => ({ ...s, q: q.trim() || undefined, page: undefined }) });
  }

  return (
    <>
      <PageHeader
        title="Events"
        action={
          <Link to="/admin/events/new" className="inline-flex h-10 items-center rounded-lg bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
            New event
          </Link>
        }
      >
        Every event, including past and cancelled ones.
      </PageHeader>
      <form onSubmit={submit} className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
        <Input label="Search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name, performer, venue…" className="flex-1" />
        <Select
          label="Status"
          value={search.status ?? ''}
          onChange={(e) => void navigate({ search: (s) => ({ ...s, status: (e.target.value || undefined) as EventStatus | undefined, page: undefined }) })}
          className="sm:w-44"
        >
          <option value="">All</option>
          {EventStatus.options.map((s) => (
            <option key={s} value={s}>
              {s.replace('_', ' ')}
            </option>
          ))}
        </Select>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {list.items.length === 0 ? (
        <EmptyState
          title={filtered ? 'No events match' : 'No events yet'}
          action={
            filtered ? (
              <Link to="/admin/events" className="font-medium text-brand-700 underline">
                Clear filters
              </Link>
            ) : (
              <Link to="/admin/events/new" className="font-medium text-brand-700 underline">
                Create the first event
              </Link>
            )
          }
        >
          {filtered ? 'Try another search or status.' : 'Create a venue first, then an event in it.'}
        </EmptyState>
      ) : (
        <>
          <EventTable events={list.items} />
          <Pager page={list.page} limit={list.limit} total={list.total} onPage={(page) => void navigate({ search: (s) => ({ ...s, page }) })} />
        </>
      )}
    </>
  );
}
