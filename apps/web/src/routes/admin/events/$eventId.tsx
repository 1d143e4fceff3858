import { createFileRoute, Link, useRouter } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, ErrorState } from '../../../components/ui';
import { errorMessage, isProblem } from '../../../lib/api-client';
import { formatEventTime } from '../../../lib/format';
import { CancelEventDialog, EventDashboard, PageHeader, StatusPill, fetchEvent, fetchEventStats } from '../../../features/admin';
import { usePageTitle } from '../../../lib/page-title';

export const Route = createFileRoute('/admin/events/$eventId')({
  loader: async ({ params, abortController }) => {
    const [event, stats] = await Promise.all([fetchEvent(params.eventId, abortController.signal), fetchEventStats(params.eventId, abortController.signal)]);
    return { event, stats };
  },
  staleTime: 0,
  gcTime: 0,
  component: EventDashboardPage,
  errorComponent: ({ error, reset }) => (
    <ErrorState title={isProblem(error, 'not_found') ? 'Event not found' : 'Could not load this event'} message={errorMessage(error)} onRetry={isProblem(error, 'not_found') ? undefined : reset}>
      <Link to="/admin/events" className="font-medium text-red-900 underline">
        Back to events
      </Link>
    </ErrorState>
  ),
});

function EventDashboardPage() {
  const { event, stats } = Route.useLoaderData();
  usePageTitle(`${event.name} · Dashboard`);
  const router = useRouter();
  const [cancelOpen, setCancelOpen] = useState(false);
  const cancelled = event.status === 'cancelled';
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {event.name} <StatusPill status={event.status} />
          </span>
        }
        action={
          <>
            <Link to="/events/$eventId" params={{ eventId: event.id }} className="inline-flex h-10 items-center rounded-lg px-4 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
              Public page
            </Link>
            <Link to="/admin/events/$eventId/edit" params={{ eventId: event.id }} className="inline-flex h-10 items-center rounded-lg px-4 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
              Edit
            </Link>
            {!cancelled && (
              <Button variant="danger" onClick={() => setCancelOpen(true)}>
                Cancel event
              </Button>
            )}
          </>
        }
      >
        {event.venue.name}, {event.venue.city} · {formatEventTime(event.startsAt, event.venue.timezone)}
        {event.highDemand ? ' · waiting room on' : ''}
      </PageHeader>
      <EventDashboard key={event.id} event={event} initial={stats} />
      <CancelEventDialog
        eventId={event.id}
        eventName={event.name}
        sold={stats.sold}
        open={cancelOpen}
        onClose={() => setCancelOpen(false)}
        onCancelled={() => void router.invalidate()}
      />
    </>
  );
}
