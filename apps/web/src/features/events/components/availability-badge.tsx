import { cx } from '../../../components/ui';
import { availabilityLevel } from '../availability-level';

const LABEL = { plenty: 'Plenty of seats', limited: 'Limited seats', sold_out: 'Sold out' } as const;
const STYLE = {
  plenty: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  limited: 'bg-amber-50 text-amber-900 ring-amber-300',
  sold_out: 'bg-slate-100 text-slate-600 ring-slate-300',
} as const;

/** "Plenty / Limited / Sold out" pill, with an icon so it does not rely on colour. */
export function AvailabilityBadge({ available, total }: { available: number; total: number }) {
  const level = availabilityLevel(available, total);
  return (
    <span className={cx('inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', STYLE[level])}>
      <span aria-hidden="true">{level === 'plenty' ? '●' : level === 'limited' ? '◐' : '○'}</span>
      {LABEL[level]}
    </span>
  );
}
