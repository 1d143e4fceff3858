import { createFileRoute, Link, redirect, useNavigate } from '@tanstack/react-router';
import { QueueStatus } from '@ticketing/shared';
import { useCallback, useEffect, useMemo } from 'react';
import { z } from 'zod';
import { Card, ErrorState, cx, toast } from '../../components/ui';
import { api, errorMessage, isProblem } from '../../lib/api-client';
import { formatEventTime, formatPriceRange } from '../../lib/format';
import { AvailabilityBadge, fetchEvent } from '../../features/events';
import { SeatLegend, SeatList, SeatMapCanvas, STATUS, describeSeat, fetchAvailability, fetchSeatMap, useLiveAvailability, useSeatLayout, type LiveMode } from '../../features/seatmap';
import { SelectionBar, SelectionPanel, fetchCurrentHold, selectionStore, useSelection } from '../../features/booking';
import { useCurrentUser } from '../../features/auth';
import { usePageTitle } from '../../lib/page-title';

export const Route = createFileRoute('/events/$eventId')({
  validateSearch: z.object({ view: z.enum(['map', 'list']).optional().catch(undefined) }),
  loader: async ({ params, context, abortController }) => {
    const signal = abortController.signal;
    const [event, seatmap, availability, hold] = await Promise.all([
      fetchEvent(params.eventId, signal),
      fetchSeatMap(params.eventId, signal),
      fetchAvailability(params.eventId, null, signal),
      context.auth.ensure().then((user) => (user ? fetchCurrentHold(params.eventId, signal) : null)),
    ]);
    if (availability.kind !== 'snapshot') throw new Error('Seat availability could not be loaded.');
    // High-demand sale: a signed-in fan (not an admin) without an admission or a hold waits in the
    // waiting room first; that page comes back here by itself once admitted. (Added by the
    // waiting-room engineer as agreed in docs/architecture/web-admin.md.)
    const user = context.auth.current();
    if (event.highDemand && event.status === 'on_sale' && !hold && user && user.role !== 'admin') {
      const queue = await api(`/events/${encodeURIComponent(event.id)}/queue`, { schema: QueueStatus, signal }).catch(() => null);
      if (queue && queue.status !== 'admitted') throw redirect({ to: '/events/$eventId/queue', params: { eventId: event.id }, replace: true });
    }
    return { event, seatmap, availability: availability.availability, hold, arrivedAt: performance.now() };
  },
  // Seat statuses are live (SSE), so the loader result never needs to be reused stale.
  staleTime: 0,
  gcTime: 0,
  component: EventPage,
  errorComponent: ({ error, reset }) => (
    <div className="mx-auto max-w-3xl px-4 py-10">
      <ErrorState title={isProblem(error, 'not_found') ? 'Event not found' : 'Could not load this event'} message={errorMessage(error)} onRetry={reset}>
        <Link to="/" className="font-medium text-red-900 underline">
          Back to all events
        </Link>
      </ErrorState>
    </div>
  ),
});

const MODE_LABEL: Record<LiveMode, string> = { connecting: 'Connecting…', live: 'Live', polling: 'Updating every few seconds', offline: 'Offline — retrying' };

function EventPage() {
  const { event, seatmap, availability, hold, arrivedAt } = Route.useLoaderData();
  usePageTitle(event.name);
  const { view = 'map' } = Route.useSearch();
  const navigate = useNavigate({ from: '/events/$eventId' });
  const user = useCurrentUser();
  const { layout, grid } = useSeatLayout(seatmap);
  const { live, snapshot } = useLiveAvailability(event.id, availability, layout.size);
  const picked = useSelection((s) => s.picked);
  const phase = useSelection((s) => s.phase);
  const selected = useMemo(() => new Set(picked.map((p) => p.index).filter((i) => i >= 0)), [picked]);
  const indexOf = useCallback((id: string) => layout.idToIndex.get(id) ?? -1, [layout]);

  // One selection per event; a hold found on the server (reload, second tab) is shown as held.
  useEffect(() => {
    selectionStore.getState().forEvent(event.id);
    if (hold) selectionStore.getState().restoreHold(hold, indexOf);
  }, [event.id, hold, indexOf]);

  // A seat someone else takes leaves the selection with a visible notice.
  useEffect(
    () =>
      live.onTaken((indices) => {
        const lost = selectionStore.getState().seatsTaken(indices.map((i) => layout.ids[i]!));
        if (lost.length) toast('warning', `${lost.length === 1 ? 'A seat you picked was' : `${lost.length} seats you picked were`} just taken by someone else.`);
      }),
    [live, layout],
  );

  const onToggle = useCallback(
    (index: number) => {
      const store = selectionStore.getState();
      const isPicked = store.picked.some((p) => p.index === index);
      const status = live.getSnapshot().statuses[index];
      if (!isPicked && status !== STATUS.available) {
        toast('info', status === STATUS.sold ? 'That seat is sold.' : 'That seat is held by someone else right now.', 3000);
        return;
      }
      const d = describeSeat(layout, index);
      const r = store.toggle({ id: layout.ids[index]!, index, section: d.section.name, row: d.row, number: d.number, priceCents: d.section.priceCents });
      if (r === 'limit') toast('warning', 'You can pick up to 6 seats at a time.', 3000);
      else if (r === 'locked') toast('info', store.phase === 'held' ? 'Release your hold to change seats.' : 'Holding your seats…', 3000);
    },
    [layout, live],
  );

  const sectionOptions = useMemo(
    () =>
      layout.sections.map((s) => {
        let available = 0;
        for (const row of s.rows) for (const i of row.seats) if (snapshot.statuses[i] === STATUS.available) available++;
        return { id: s.id, name: s.name, priceCents: s.priceCents, available };
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [layout, snapshot.revision],
  );

  const onSale = event.status === 'on_sale';
  const tz = event.venue.timezone;

  return (
    <div className="mx-auto max-w-7xl px-4 py-6">
      <header className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <p className="text-sm font-medium uppercase tracking-wide text-brand-700">{event.category}</p>
          <h1 className="text-2xl font-bold sm:text-3xl">{event.name}</h1>
          <p className="mt-1 text-slate-700">
            <time dateTime={event.startsAt}>{formatEventTime(event.startsAt, tz)}</time>
          </p>
          <p className="text-slate-600">
            {event.venue.name}, {event.venue.city}
            {event.performer ? ` · ${event.performer}` : ''}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium">{formatPriceRange(event.priceRange.minCents, event.priceRange.maxCents, event.priceRange.currency)}</span>
          <AvailabilityBadge available={snapshot.counts.available} total={event.availability.total} />
          <span className="inline-flex items-center gap-1 text-slate-500" title="Seat availability updates">
            <span aria-hidden="true" className={cx('h-2 w-2 rounded-full', snapshot.mode === 'live' ? 'bg-emerald-500' : snapshot.mode === 'offline' ? 'bg-red-500' : 'bg-amber-500')} />
            {MODE_LABEL[snapshot.mode]}
          </span>
        </div>
      </header>

      {!onSale && (
        <p role="status" className="mb-4 rounded-lg bg-sky-50 px-4 py-3 text-sky-900 ring-1 ring-sky-200">
          {event.status === 'upcoming'
            ? `Tickets go on sale ${formatEventTime(event.onSaleAt, tz)}.`
            : event.status === 'sold_out'
              ? 'This event is sold out.'
              : event.status === 'cancelled'
                ? 'This event was cancelled.'
                : 'This event has taken place.'}
        </p>
      )}
      {onSale && event.highDemand && (
        <p role="note" className="mb-4 rounded-lg bg-amber-50 px-4 py-3 text-amber-950 ring-1 ring-amber-300">
          High-demand event: holding seats needs a place from the waiting room.{' '}
          <Link to="/events/$eventId/queue" params={{ eventId: event.id }} className="font-medium underline">
            Join the waiting room
          </Link>
        </p>
      )}

      <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <div role="group" aria-label="Seat view" className="inline-flex rounded-lg bg-slate-100 p-1">
              {(['map', 'list'] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  aria-pressed={view === v}
                  onClick={() => void navigate({ search: { view: v === 'map' ? undefined : v }, replace: true })}
                  className={cx('rounded-md px-3 py-1.5 text-sm font-medium', view === v ? 'bg-white text-slate-900 shadow' : 'text-slate-600 hover:text-slate-900')}
                >
                  {v === 'map' ? 'Map' : 'List'}
                </button>
              ))}
            </div>
            <p className="text-sm text-slate-600" aria-live="polite">
              {snapshot.counts.available.toLocaleString()} of {event.availability.total.toLocaleString()} seats available
            </p>
          </div>
          {view === 'map' ? (
            <SeatMapCanvas
              layout={layout}
              grid={grid}
              statuses={snapshot.statuses}
              revision={snapshot.revision}
              selected={selected}
              pending={phase === 'holding'}
              currency={event.currency}
              onToggle={onToggle}
              dataArrivedAt={arrivedAt}
              className="h-[60vh] min-h-[22rem] lg:h-[34rem]"
            />
          ) : (
            <Card className="p-4">
              <SeatList layout={layout} statuses={snapshot.statuses} revision={snapshot.revision} selected={selected} currency={event.currency} onToggle={onToggle} />
            </Card>
          )}
          <Card className="p-4">
            <SeatLegend sections={layout.sections} currency={event.currency} />
          </Card>
        </div>
        <aside className="scroll-mt-20 lg:sticky lg:top-20 lg:self-start" id="selection-panel">
          <Card className="p-4">
            <SelectionPanel
              eventId={event.id}
              currency={event.currency}
              sections={sectionOptions}
              signedIn={Boolean(user)}
              onSale={onSale}
              indexOf={indexOf}
              onSeatsGone={(ids) => live.markTaken(ids.map(indexOf))}
              onNeedLogin={() => void navigate({ to: '/login', search: { redirect: `/events/${event.id}` } })}
              onNeedQueue={() => void navigate({ to: '/events/$eventId/queue', params: { eventId: event.id } })}
              onCheckout={() => void navigate({ to: '/events/$eventId/checkout', params: { eventId: event.id } })}
            />
          </Card>
          {event.description && <p className="mt-4 text-sm text-slate-600">{event.description}</p>}
        </aside>
      </div>
      <SelectionBar currency={event.currency} targetId="selection-panel" />
      {/* Room for the phone selection bar so it never covers the end of the page. */}
      <div className="h-20 lg:hidden" aria-hidden="true" />
    </div>
  );
}
