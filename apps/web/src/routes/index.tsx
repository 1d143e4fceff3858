import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { EmptyState, ErrorState } from '../components/ui';
import { errorMessage } from '../lib/api-client';
import { EventCard, EventSearchParams, Pagination, SearchFilters, fetchEvents, toListQuery, PAGE_SIZE } from '../features/events';
import { usePageTitle } from '../lib/page-title';

export const Route = createFileRoute('/')({
  validateSearch: EventSearchParams,
  loaderDeps: ({ search }) => search,
  loader: ({ deps, abortController }) => fetchEvents(toListQuery(deps), abortController.signal),
  staleTime: 30_000,
  component: HomePage,
  errorComponent: ({ error, reset }) => (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <ErrorState title="Could not load events" message={errorMessage(error)} onRetry={reset} />
    </div>
  ),
});

function HomePage() {
  const search = Route.useSearch();
  usePageTitle(search.q ? `Search: ${search.q}` : 'Find your seats');
  const data = Route.useLoaderData();
  const navigate = useNavigate({ from: '/' });
  const hasFilters = Boolean(search.q || search.category || search.city || search.from || search.to || search.maxPrice !== undefined);

  return (
    <div className="mx-auto max-w-7xl space-y-6 px-4 py-6 sm:py-8">
      <div>
        <h1 className="text-2xl font-bold sm:text-3xl">{search.q ? `Results for “${search.q}”` : 'Find your seats'}</h1>
        <p className="mt-1 text-slate-600">Concerts, sports, theatre and more — pick the exact seat you want.</p>
      </div>
      <SearchFilters value={search} onChange={(next) => void navigate({ search: next })} />
      <p className="text-sm text-slate-600" aria-live="polite">
        {data.total === 1 ? '1 event' : `${data.total} events`}
      </p>
      {data.items.length === 0 ? (
        <EmptyState title="No events match">
          {hasFilters ? 'Try fewer filters or another date range.' : 'No events are on sale right now. Check back soon.'}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {data.items.map((e) => (
            <li key={e.id} className="flex">
              <div className="flex-1">
                <EventCard event={e} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pagination
        page={data.page}
        limit={data.limit || PAGE_SIZE}
        total={data.total}
        onPage={(page) => {
          void navigate({ search: (prev) => ({ ...prev, page: page === 1 ? undefined : page }) });
          window.scrollTo({ top: 0 });
        }}
      />
    </div>
  );
}
