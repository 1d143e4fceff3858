import { Link } from '@tanstack/react-router';
import type { EventSummary } from '@ticketing/shared';
import { cx } from '../../../components/ui';
import { formatEventTime } from '../../../lib/format';

const STATUS_STYLE: Record<EventSummary['status'], string> = {
  upcoming: 'bg-sky-50 text-sky-800 ring-sky-200',
  on_sale: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  sold_out: 'bg-amber-50 text-amber-900 ring-amber-200',
  completed: 'bg-slate-100 text-slate-700 ring-slate-200',
  cancelled: 'bg-red-50 text-red-800 ring-red-200',
};

/** A coloured pill with an event status. */
export function StatusPill({ status }: { status: EventSummary['status'] }) {
  return <span className={cx('inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', STATUS_STYLE[status])}>{status.replace('_', ' ')}</span>;
}

/** Admin list of events: a table on wide screens, cards on phones. */
export function EventTable({ events }: { events: EventSummary[] }) {
  return (
    <>
      <div className="hidden overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200 md:block">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-3">Event</th>
              <th scope="col" className="px-4 py-3">Starts</th>
              <th scope="col" className="px-4 py-3">Status</th>
              <th scope="col" className="px-4 py-3 text-right" title="Sold and held seats of all seats">Taken</th>
              <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {events.map((e) => (
              <tr key={e.id} className="hover:bg-slate-50">
                <td className="px-4 py-3">
                  <Link to="/admin/events/$eventId" params={{ eventId: e.id }} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                    {e.name}
                  </Link>
                  <div className="text-slate-500">
                    {e.venue.name}, {e.venue.city}
                    {e.highDemand && <span className="ml-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-800">waiting room</span>}
                  </div>
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-700">{formatEventTime(e.startsAt, e.venue.timezone)}</td>
                <td className="px-4 py-3"><StatusPill status={e.status} /></td>
                <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-700">
                  {(e.totalSeats - e.availableSeats).toLocaleString()} / {e.totalSeats.toLocaleString()}
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right">
                  <Link to="/admin/events/$eventId/edit" params={{ eventId: e.id }} className="rounded px-2 py-1 font-medium text-brand-700 hover:bg-brand-50">
                    Edit<span className="sr-only"> {e.name}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="flex flex-col gap-3 md:hidden">
        {events.map((e) => (
          <li key={e.id} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <div className="flex items-start justify-between gap-2">
              <Link to="/admin/events/$eventId" params={{ eventId: e.id }} className="min-w-0 break-words font-medium text-slate-900 hover:underline">
                {e.name}
              </Link>
              <StatusPill status={e.status} />
            </div>
            <p className="mt-1 text-sm text-slate-600">{formatEventTime(e.startsAt, e.venue.timezone)}</p>
            <p className="text-sm text-slate-500">
              {e.venue.name} · {(e.totalSeats - e.availableSeats).toLocaleString()} / {e.totalSeats.toLocaleString()} taken
            </p>
            <Link to="/admin/events/$eventId/edit" params={{ eventId: e.id }} className="mt-2 inline-block text-sm font-medium text-brand-700 underline">
              Edit<span className="sr-only"> {e.name}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
