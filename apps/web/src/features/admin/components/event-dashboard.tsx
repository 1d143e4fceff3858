import type { Event, EventStats } from '@ticketing/shared';
import { QueueSettingsInput } from '@ticketing/shared';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, Card, ErrorState, Input, toast } from '../../../components/ui';
import { errorMessage } from '../../../lib/api-client';
import { formatMoney } from '../../../lib/format';
import { problemFieldErrors, zodFieldErrors } from '../../../lib/form-errors';
import { fetchEventStats, fetchRefundsPending, updateQueueSettings } from '../api/admin-api';
import { usePolling } from '../hooks/use-polling';
import { friendlyErrors } from '../lib/messages';

/** How often the dashboard refreshes while visible. */
export const STATS_INTERVAL_MS = 3_000;
/** Owed refunds change slowly (back-off of seconds to minutes). */
const REFUNDS_INTERVAL_MS = 30_000;

function Tile({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }) {
  return (
    <Card className="p-4">
      <dt className="text-sm font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-bold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
      {hint && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
    </Card>
  );
}

function formatWait(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds % 60)} s`;
}

/** Sold / held / available as one stacked bar. */
export function InventoryBar({ sold, held, available }: { sold: number; held: number; available: number }) {
  const total = Math.max(1, sold + held + available);
  const pct = (n: number) => `${((n / total) * 100).toFixed(2)}%`;
  const parts = [
    { label: 'Sold', n: sold, className: 'bg-brand-600' },
    { label: 'Held', n: held, className: 'bg-amber-400' },
    { label: 'Available', n: available, className: 'bg-slate-200' },
  ];
  return (
    <div>
      <div
        className="flex h-5 w-full overflow-hidden rounded-full bg-slate-100"
        role="img"
        aria-label={`${sold} sold, ${held} held, ${available} available of ${sold + held + available} seats`}
      >
        {parts.map((p) => (
          <div key={p.label} className={p.className} style={{ width: pct(p.n) }} />
        ))}
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-700">
        {parts.map((p) => (
          <li key={p.label} className="flex items-center gap-2">
            <span aria-hidden="true" className={`inline-block h-3 w-3 rounded-sm ${p.className}`} />
            {p.label} <span className="font-semibold tabular-nums" data-testid={`stat-${p.label.toLowerCase()}`}>{p.n.toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Live figures of one event, refreshed every 3 s while the tab is visible, with waiting-room controls. */
export function EventDashboard({ event, initial }: { event: Event; initial: EventStats }) {
  const { data: stats = initial, error, updatedAt, refresh } = usePolling((signal) => fetchEventStats(event.id, signal), STATS_INTERVAL_MS, initial);
  return (
    <div className="flex flex-col gap-6">
      {error ? (
        <div role="alert" className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
          Live update failed: {errorMessage(error)} Showing the last known figures; retrying.
        </div>
      ) : null}
      <Card className="p-4 sm:p-6">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-base font-semibold">Seats</h2>
          <p className="text-xs text-slate-500" aria-live="off">
            {updatedAt ? `Updated ${new Date(updatedAt).toLocaleTimeString()}` : ''} · refreshes every {STATS_INTERVAL_MS / 1000} s
          </p>
        </div>
        <InventoryBar sold={stats.sold} held={stats.held} available={stats.available} />
      </Card>
      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Tile label="Revenue" value={formatMoney(stats.revenueCents, event.currency)} testId="stat-revenue" hint={stats.ordersCompleted !== undefined ? `${stats.ordersCompleted} completed orders` : undefined} />
        <Tile label="Sold" value={stats.sold.toLocaleString()} testId="stat-sold-tile" hint={`of ${(stats.sold + stats.held + stats.available).toLocaleString()} seats`} />
        <Tile label="In the queue" value={stats.queueLength.toLocaleString()} testId="stat-queue" hint={event.highDemand ? 'waiting now' : 'no waiting room'} />
        <Tile label="Shopping now" value={stats.admitted.toLocaleString()} testId="stat-admitted" hint={event.highDemand ? (stats.maxConcurrentShoppers ? `admitted, cap ${stats.maxConcurrentShoppers.toLocaleString()}` : 'admitted') : 'no waiting room'} />
        <Tile label="Admission rate" value={`${stats.admissionRatePerMinute.toLocaleString()}/min`} testId="stat-rate" hint={event.highDemand ? 'from the queue to the seats' : 'used if the waiting room is on'} />
        <Tile label="Average wait" value={formatWait(stats.averageWaitSeconds)} testId="stat-wait" hint={event.highDemand ? 'of recent admissions' : undefined} />
      </dl>
      <RefundsOwedLine eventId={event.id} />
      {event.highDemand && event.status !== 'cancelled' && (
        <QueueControls eventId={event.id} rate={stats.admissionRatePerMinute} cap={stats.maxConcurrentShoppers} onSaved={refresh} />
      )}
    </div>
  );
}

/** One line when refunds of this event are owed and not yet made (the recovery worker retries them with back-off). */
function RefundsOwedLine({ eventId }: { eventId: string }) {
  const { data } = usePolling((signal) => fetchRefundsPending(signal), REFUNDS_INTERVAL_MS);
  const mine = data?.items.filter((o) => o.eventId === eventId) ?? [];
  if (!mine.length) return null;
  const worst = mine.reduce((a, b) => (b.attempts > a.attempts ? b : a));
  return (
    <p role="status" data-testid="refunds-owed" className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
      {mine.length} refund{mine.length === 1 ? '' : 's'} owed, retrying with back-off · most attempts {worst.attempts}
      {worst.lastError ? ` (last error: ${worst.lastError})` : ''}
    </p>
  );
}

/** PUT /admin/events/:id/queue: the admission worker picks new settings up on its next tick. */
function QueueControls({ eventId, rate, cap, onSaved }: { eventId: string; rate: number; cap: number | undefined; onSaved: () => void }) {
  const [rateText, setRate] = useState(String(rate));
  const [capText, setCap] = useState(cap ? String(cap) : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      ...(rateText.trim() ? { admissionRatePerMinute: Number(rateText) } : {}),
      ...(capText.trim() ? { maxConcurrentShoppers: Number(capText) } : {}),
    };
    const parsed = QueueSettingsInput.safeParse(body);
    if (!parsed.success) {
      setErrors(friendlyErrors(zodFieldErrors(parsed.error)));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await updateQueueSettings(eventId, parsed.data);
      setRate(String(saved.admissionRatePerMinute));
      setCap(String(saved.maxConcurrentShoppers));
      toast('success', `Now admitting ${saved.admissionRatePerMinute}/min, up to ${saved.maxConcurrentShoppers} shoppers at once.`);
      onSaved();
    } catch (err) {
      setErrors({ ...problemFieldErrors(err), _: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className="p-4 sm:p-6">
      <h2 className="text-base font-semibold">Waiting room controls</h2>
      <p className="mt-1 text-sm text-slate-600">Takes effect within a second, without a restart.</p>
      <form onSubmit={submit} noValidate className="mt-4 flex flex-col gap-3 sm:flex-row sm:items-start">
        <Input label="Admission rate per minute" type="number" min={1} inputMode="numeric" value={rateText} onChange={(e) => setRate(e.target.value)} error={errors.admissionRatePerMinute} className="sm:w-56" />
        <Input label="Max concurrent shoppers" type="number" min={1} inputMode="numeric" value={capText} onChange={(e) => setCap(e.target.value)} error={errors.maxConcurrentShoppers} className="sm:w-56" />
        <Button type="submit" loading={busy} className="sm:mt-6">
          Apply
        </Button>
      </form>
      {errors._ && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {errors._}
        </p>
      )}
    </Card>
  );
}

/** Shown when the first stats read fails. */
export function DashboardError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return <ErrorState title="Could not load the live figures" message={message} onRetry={onRetry} />;
}
