import type { Event } from '@ticketing/shared';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { Button, Card, ErrorState, Spinner } from '../../../components/ui';
import { formatEventTime } from '../../../lib/format';
import { serverNow } from '../../../lib/server-clock';
import { formatWait, queueProgress } from '../lib/progress';
import type { WaitingRoomState } from '../hooks/use-waiting-room';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const t = setInterval(() => setNow(serverNow()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

function Fairness() {
  return (
    <details className="rounded-lg bg-slate-50 p-4 text-sm text-slate-700 ring-1 ring-slate-200" open>
      <summary className="cursor-pointer font-medium text-slate-900">How the queue is fair</summary>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>Everyone who arrives before the sale opens gets a random place when it opens, so there is no advantage in refreshing or arriving at the last second.</li>
        <li>After the sale opens, people join in the order they arrive.</li>
        <li>We let a steady number of fans in each minute so the seat map stays fast for everyone shopping.</li>
        <li>Keep this page open. You can reload it without losing your place; leaving it for more than a minute may pass you over.</li>
      </ul>
    </details>
  );
}

/** The waiting-room page body for each state of the queue. */
export function WaitingRoomView({ event, state, onRejoin, onLeave }: { event: Event; state: WaitingRoomState; onRejoin: () => void; onLeave: () => void }) {
  const now = useNow(1000);
  const heading = (
    <div className="mb-6 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Waiting room</p>
      <h1 className="mt-1 break-words text-2xl font-bold text-slate-900 sm:text-3xl">{event.name}</h1>
      <p className="mt-1 text-slate-600">
        {formatEventTime(event.startsAt, event.venue.timezone)} · {event.venue.name}, {event.venue.city}
      </p>
    </div>
  );

  if (state.phase === 'joining') {
    return (
      <div className="mx-auto max-w-xl px-4 py-10">
        {heading}
        <Card className="flex flex-col items-center gap-3 p-8 text-slate-600">
          <Spinner size="lg" label="Joining the queue…" />
          <p>Finding your place in the queue…</p>
        </Card>
      </div>
    );
  }

  if (state.phase === 'admitted') {
    return (
      <div className="mx-auto max-w-xl px-4 py-10">
        {heading}
        <Card className="flex flex-col items-center gap-3 p-8 text-center" role="status">
          <p className="text-2xl font-bold text-emerald-700">It’s your turn!</p>
          <p className="text-slate-700">Taking you to the seat map…</p>
          <Link to="/events/$eventId" params={{ eventId: event.id }} className="font-medium text-brand-700 underline">
            Go to the seats now
          </Link>
        </Card>
      </div>
    );
  }

  if (state.phase === 'expired') {
    return (
      <div className="mx-auto max-w-xl px-4 py-10">
        {heading}
        <Card className="flex flex-col items-center gap-3 p-8 text-center">
          <p className="text-xl font-semibold text-slate-900">Your place has expired</p>
          <p className="text-slate-600">Either your shopping time ran out, or the page was closed for too long and the queue moved on. You can join again at the back of the queue.</p>
          <Button size="lg" onClick={onRejoin}>
            Rejoin the queue
          </Button>
        </Card>
      </div>
    );
  }

  if (state.phase === 'failed') {
    return (
      <div className="mx-auto max-w-xl px-4 py-10">
        {heading}
        <ErrorState title={state.fatal ? 'The waiting room is not available' : 'We could not reach the waiting room'} message={state.error.message} onRetry={state.fatal ? undefined : onRejoin}>
          <Link to="/events/$eventId" params={{ eventId: event.id }} className="font-medium text-red-900 underline">
            Back to the event
          </Link>
        </ErrorState>
      </div>
    );
  }

  const { status, startPosition, retrying } = state;
  const position = status.position ?? 1;
  const ahead = status.aheadOfYou ?? position - 1;
  const onSaleAt = status.onSaleAt ? new Date(status.onSaleAt).getTime() : 0;
  const beforeSale = onSaleAt > now;
  const progress = queueProgress(startPosition, position);
  const untilSale = Math.max(0, Math.ceil((onSaleAt - now) / 1000));

  return (
    <div className="mx-auto max-w-xl px-4 py-10">
      {heading}
      <Card className="p-6 sm:p-8">
        {retrying && (
          <p role="alert" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            {retrying}
          </p>
        )}
        {beforeSale && (
          <p className="mb-4 rounded-lg bg-sky-50 px-3 py-2 text-center text-sm text-sky-900 ring-1 ring-sky-200">
            The sale opens in <strong className="tabular-nums">{formatCountdown(untilSale)}</strong>. Your place below is provisional: early arrivals are shuffled when it opens.
          </p>
        )}
        <div className="text-center" aria-live="polite" aria-atomic="true">
          <p className="text-sm font-medium text-slate-500">{beforeSale ? 'Your provisional place' : 'Your place in line'}</p>
          <p className="text-6xl font-extrabold tabular-nums text-slate-900" data-testid="queue-position">
            {position.toLocaleString()}
          </p>
          <p className="mt-2 text-slate-700">
            {beforeSale
              ? `${ahead.toLocaleString()} ${ahead === 1 ? 'person is' : 'people are'} ahead of you for now.`
              : ahead === 0
                ? 'You are next.'
                : `${ahead.toLocaleString()} ${ahead === 1 ? 'person is' : 'people are'} ahead of you.`}{' '}
            Estimated wait: <strong>{formatWait(status.estimatedWaitSeconds)}</strong>.
          </p>
        </div>
        <div className={beforeSale ? 'hidden' : 'mt-6'}>
          <div className="h-3 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label="Progress towards the front of the queue" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
            <div className="h-full rounded-full bg-brand-600 transition-[width] duration-700" style={{ width: `${Math.max(2, progress * 100)}%` }} />
          </div>
          <p className="mt-2 flex justify-between text-xs text-slate-500">
            <span>Joined at {startPosition.toLocaleString()}</span>
            <span>Seat map</span>
          </p>
        </div>
        <p className="mt-6 text-center text-sm text-slate-600">When it is your turn this page takes you to the seat map by itself. There is no need to refresh.</p>
        <div className="mt-6">
          <Fairness />
        </div>
        <div className="mt-6 text-center">
          <Button variant="ghost" onClick={onLeave}>
            Leave the queue
          </Button>
        </div>
      </Card>
    </div>
  );
}

function formatCountdown(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${p(m)}:${p(sec)}` : `${m}:${p(sec)}`;
}
