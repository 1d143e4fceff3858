import { Link } from '@tanstack/react-router';
import type { EventSummary } from '@ticketing/shared';
import { formatEventTime, formatPriceRange } from '../../../lib/format';
import { AvailabilityBadge } from './availability-badge';

const CATEGORY_GRADIENT: Record<string, string> = {
  concert: 'from-fuchsia-500 to-indigo-600',
  sports: 'from-emerald-500 to-teal-700',
  theatre: 'from-rose-500 to-red-700',
  comedy: 'from-amber-400 to-orange-600',
  family: 'from-sky-400 to-blue-600',
  festival: 'from-pink-500 to-orange-500',
  conference: 'from-slate-500 to-slate-700',
};

/** One search result: the whole card is a link to the event page. */
export function EventCard({ event }: { event: EventSummary }) {
  const soldOut = event.status === 'sold_out' || event.availableSeats <= 0;
  return (
    <article className="group relative flex flex-col overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200 transition hover:shadow-md">
      <div className={`flex h-24 items-end bg-gradient-to-br p-3 ${CATEGORY_GRADIENT[event.category] ?? 'from-slate-500 to-slate-700'}`}>
        <span className="rounded bg-white/20 px-2 py-0.5 text-xs font-semibold uppercase tracking-wide text-white">{event.category}</span>
        {event.highDemand && <span className="ml-2 rounded bg-black/30 px-2 py-0.5 text-xs font-semibold text-white">High demand</span>}
      </div>
      <div className="flex flex-1 flex-col gap-2 p-4">
        <h3 className="text-base font-semibold leading-snug text-slate-900">
          <Link to="/events/$eventId" params={{ eventId: event.id }} className="rounded after:absolute after:inset-0 focus-visible:outline-none group-focus-within:underline">
            {event.name}
          </Link>
        </h3>
        <p className="text-sm text-slate-700">
          <time dateTime={event.startsAt}>{formatEventTime(event.startsAt, event.venue.timezone)}</time>
        </p>
        <p className="text-sm text-slate-600">
          {event.venue.name} · {event.venue.city}
        </p>
        <div className="mt-auto flex flex-wrap items-center justify-between gap-2 pt-2">
          <span className="text-sm font-medium text-slate-900">
            {soldOut ? 'Sold out' : formatPriceRange(event.priceRange.minCents, event.priceRange.maxCents, event.priceRange.currency)}
          </span>
          {event.status === 'cancelled' ? (
            <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200">Cancelled</span>
          ) : event.status === 'upcoming' ? (
            <span className="rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-sky-200">On sale soon</span>
          ) : (
            <AvailabilityBadge available={event.availableSeats} total={event.totalSeats} />
          )}
        </div>
      </div>
    </article>
  );
}
