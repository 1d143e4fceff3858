import { Button, Countdown } from '../../../components/ui';
import { formatMoney } from '../../../lib/format';
import { useSelection } from '../stores/selection-store';

/**
 * Phone-only bar pinned to the bottom of the seat page: how many seats are picked (or the
 * hold's countdown) and a button that brings the full panel into view.
 */
export function SelectionBar({ currency, targetId }: { currency: string; targetId: string }) {
  const picked = useSelection((s) => s.picked);
  const hold = useSelection((s) => s.hold);
  const phase = useSelection((s) => s.phase);
  if (picked.length === 0 && !hold) return null;
  const total = hold ? hold.totalCents : picked.reduce((t, p) => t + p.priceCents, 0);
  function reveal() {
    const el = document.getElementById(targetId);
    el?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    el?.querySelector<HTMLElement>('button:not([disabled])')?.focus({ preventScroll: true });
  }
  return (
    <div className="fixed inset-x-0 bottom-0 z-30 border-t border-slate-200 bg-white/95 px-4 py-3 shadow-[0_-4px_12px_rgba(0,0,0,0.06)] backdrop-blur lg:hidden">
      <div className="mx-auto flex max-w-xl items-center justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm font-semibold">
            {picked.length} seat{picked.length === 1 ? '' : 's'} · {formatMoney(total, hold?.currency ?? currency)}
          </p>
          {phase === 'held' && hold ? <Countdown expiresAt={hold.expiresAt} label="Held" /> : <p className="text-xs text-slate-500">Not held yet</p>}
        </div>
        <Button onClick={reveal}>{phase === 'held' ? 'Checkout' : 'Review'}</Button>
      </div>
    </div>
  );
}
