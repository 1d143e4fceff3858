import { useState, type FormEvent } from 'react';
import { MAX_SEATS_PER_HOLD, type Hold, type HoldInput } from '@ticketing/shared';
import { Button, Countdown, Select, cx, toast } from '../../../components/ui';
import { errorMessage, isProblem } from '../../../lib/api-client';
import { formatMoney } from '../../../lib/format';
import { createHold, releaseHold } from '../api/holds-api';
import { selectionStore, useSelection, type Notice } from '../stores/selection-store';

export interface SectionOption {
  id: string;
  name: string;
  priceCents: number;
  available: number;
}

export interface SelectionPanelProps {
  eventId: string;
  currency: string;
  sections: SectionOption[];
  signedIn: boolean;
  /** Whether the event can be bought now (on sale). */
  onSale: boolean;
  /** Seat id → map index. */
  indexOf: (seatId: string) => number;
  /** The server said these seats are gone: mark them on the map now. */
  onSeatsGone: (seatIds: string[]) => void;
  onNeedLogin: () => void;
  /** 403 not_admitted: the event needs the waiting room. */
  onNeedQueue: () => void;
  onCheckout: (hold: Hold) => void;
}

/** The right-hand panel: picked seats, best available, the hold with its countdown. */
export function SelectionPanel(props: SelectionPanelProps) {
  const { currency } = props;
  const picked = useSelection((s) => s.picked);
  const phase = useSelection((s) => s.phase);
  const hold = useSelection((s) => s.hold);
  const notice = useSelection((s) => s.notice);
  const [releasing, setReleasing] = useState(false);
  const total = picked.reduce((sum, p) => sum + p.priceCents, 0);

  async function submitHold(body: HoldInput) {
    if (!props.signedIn) {
      props.onNeedLogin();
      return;
    }
    const store = selectionStore.getState();
    if (store.phase !== 'selecting') return;
    store.beginHold();
    try {
      const h = await createHold(props.eventId, body);
      selectionStore.getState().holdSucceeded(h, props.indexOf);
      toast('success', `${h.seats.length} seat${h.seats.length === 1 ? '' : 's'} held for you.`);
    } catch (e) {
      if (isProblem(e, 'seats_unavailable')) {
        selectionStore.getState().holdRejected(e.unavailableSeatIds);
        props.onSeatsGone(e.unavailableSeatIds);
      } else if (isProblem(e, 'unauthenticated')) {
        selectionStore.getState().holdFailed('Please sign in to hold seats.');
        props.onNeedLogin();
      } else if (isProblem(e, 'not_admitted')) {
        selectionStore.getState().holdFailed(errorMessage(e));
        props.onNeedQueue();
      } else {
        selectionStore.getState().holdFailed(errorMessage(e));
      }
    }
  }

  async function release() {
    if (!hold) return;
    setReleasing(true);
    try {
      await releaseHold(hold.id);
      selectionStore.getState().holdReleased();
    } catch (e) {
      if (isProblem(e, 'not_found', 'hold_expired')) selectionStore.getState().holdExpired();
      else toast('error', errorMessage(e));
    } finally {
      setReleasing(false);
    }
  }

  if (phase === 'held' && hold) {
    return (
      <section aria-labelledby="hold-title" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="hold-title" className="text-lg font-semibold">
            Your seats are held
          </h2>
          <Countdown expiresAt={hold.expiresAt} onExpire={() => selectionStore.getState().holdExpired()} />
        </div>
        <NoticeBox notice={notice} />
        <SeatRows seats={hold.seats.map((s) => ({ key: s.id, label: `${s.section} · Row ${s.row} · Seat ${s.number}`, priceCents: s.priceCents }))} currency={currency} />
        <TotalRow cents={hold.totalCents} currency={hold.currency} />
        <div className="flex flex-col gap-2">
          <Button size="lg" onClick={() => props.onCheckout(hold)}>
            Continue to checkout
          </Button>
          <Button variant="ghost" loading={releasing} onClick={release}>
            Release and change seats
          </Button>
        </div>
      </section>
    );
  }

  return (
    <section aria-labelledby="sel-title" className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h2 id="sel-title" className="text-lg font-semibold">
          Your selection
        </h2>
        <span className="text-sm text-slate-500" aria-live="polite">
          {picked.length} / {MAX_SEATS_PER_HOLD} seats
        </span>
      </div>
      <NoticeBox notice={notice} />
      {picked.length === 0 ? (
        <p className="text-sm text-slate-600">Pick up to {MAX_SEATS_PER_HOLD} seats on the map or in the list, or let us find the best available.</p>
      ) : (
        <>
          <SeatRows
            seats={picked.map((p) => ({ key: p.id, label: `${p.section} · Row ${p.row} · Seat ${p.number}`, priceCents: p.priceCents, id: p.id }))}
            currency={currency}
            onRemove={phase === 'selecting' ? (id) => selectionStore.setState((s) => ({ picked: s.picked.filter((p) => p.id !== id) })) : undefined}
          />
          <TotalRow cents={total} currency={currency} />
        </>
      )}
      <div className="flex flex-col gap-2">
        <Button
          size="lg"
          disabled={picked.length === 0 || !props.onSale}
          loading={phase === 'holding'}
          onClick={() => void submitHold({ seatIds: picked.map((p) => p.id) })}
        >
          {phase === 'holding' ? 'Holding…' : props.signedIn ? 'Hold seats' : 'Sign in to hold seats'}
        </Button>
        {picked.length > 0 && phase === 'selecting' && (
          <Button variant="ghost" onClick={() => selectionStore.getState().clear()}>
            Clear selection
          </Button>
        )}
      </div>
      {props.onSale && <BestAvailable sections={props.sections} currency={currency} disabled={phase !== 'selecting'} onSubmit={(b) => void submitHold(b)} />}
    </section>
  );
}

function BestAvailable({ sections, currency, disabled, onSubmit }: { sections: SectionOption[]; currency: string; disabled: boolean; onSubmit: (body: HoldInput) => void }) {
  const [quantity, setQuantity] = useState(2);
  const [sectionId, setSectionId] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(sectionId ? { quantity, sectionId } : { quantity });
  }
  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200" aria-labelledby="best-title">
      <h3 id="best-title" className="text-sm font-semibold">
        Or: best available
      </h3>
      <div className="grid grid-cols-[5.5rem_1fr] gap-2">
        <Select label="Seats" value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
          {Array.from({ length: MAX_SEATS_PER_HOLD }, (_, k) => (
            <option key={k + 1} value={k + 1}>
              {k + 1}
            </option>
          ))}
        </Select>
        <Select label="Section" value={sectionId} onChange={(e) => setSectionId(e.target.value)}>
          <option value="">Any section</option>
          {sections.map((s) => (
            <option key={s.id} value={s.id} disabled={s.available < 1}>
              {s.name} — {formatMoney(s.priceCents, currency)}
              {s.available < 1 ? ' (sold out)' : ''}
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit" variant="secondary" className="w-full" disabled={disabled}>
        Find {quantity} best seat{quantity === 1 ? '' : 's'}
      </Button>
    </form>
  );
}

function NoticeBox({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  return (
    <div
      role={notice.kind === 'info' ? 'status' : 'alert'}
      className={cx(
        'flex items-start gap-2 rounded-lg px-3 py-2 text-sm ring-1',
        notice.kind === 'info' && 'bg-sky-50 text-sky-900 ring-sky-200',
        notice.kind === 'warning' && 'bg-amber-50 text-amber-950 ring-amber-300',
        notice.kind === 'error' && 'bg-red-50 text-red-900 ring-red-200',
      )}
    >
      <p className="flex-1">{notice.message}</p>
      <button type="button" aria-label="Dismiss message" className="rounded px-1 opacity-70 hover:opacity-100" onClick={() => selectionStore.getState().dismissNotice()}>
        ×
      </button>
    </div>
  );
}

function SeatRows({ seats, currency, onRemove }: { seats: { key: string; id?: string; label: string; priceCents: number }[]; currency: string; onRemove?: (id: string) => void }) {
  return (
    <ul className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
      {seats.map((s) => (
        <li key={s.key} className="flex items-center justify-between gap-2 px-3 py-2 text-sm">
          <span>{s.label}</span>
          <span className="flex items-center gap-2">
            <span className="font-medium tabular-nums">{formatMoney(s.priceCents, currency)}</span>
            {onRemove && s.id && (
              <button type="button" className="rounded px-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900" aria-label={`Remove ${s.label}`} onClick={() => onRemove(s.id!)}>
                ×
              </button>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

function TotalRow({ cents, currency }: { cents: number; currency: string }) {
  return (
    <div className="flex items-center justify-between border-t border-slate-200 pt-3">
      <span className="font-medium">Total</span>
      <span className="text-lg font-semibold tabular-nums">{formatMoney(cents, currency)}</span>
    </div>
  );
}
