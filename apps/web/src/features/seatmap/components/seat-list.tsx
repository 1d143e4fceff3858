import { useMemo, useState } from 'react';
import { Select, cx } from '../../../components/ui';
import { formatMoney } from '../../../lib/format';
import { STATUS } from '../lib/availability';
import type { SeatLayout } from '../lib/layout';

export interface SeatListProps {
  layout: SeatLayout;
  statuses: Uint8Array;
  revision: number;
  selected: ReadonlySet<number>;
  currency: string;
  onToggle: (index: number) => void;
}

/**
 * The accessible alternative to the canvas: pick a section, then toggle available seats
 * row by row with ordinary buttons (aria-pressed). Only one section is rendered at a time
 * so a 20,000-seat venue stays light.
 */
export function SeatList({ layout, statuses, revision, selected, currency, onToggle }: SeatListProps) {
  const availableBySection = useMemo(
    () =>
      layout.sections.map((sec) => {
        let n = 0;
        for (const row of sec.rows) for (const i of row.seats) if (statuses[i] === STATUS.available) n++;
        return n;
      }),
    // `statuses` changes in place; `revision` tells us when.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [layout, statuses, revision],
  );
  const firstOpen = Math.max(
    0,
    availableBySection.findIndex((n) => n > 0),
  );
  const [sectionIdx, setSectionIdx] = useState(firstOpen);
  const sec = layout.sections[sectionIdx];

  return (
    <div className="space-y-4">
      <Select label="Section" value={sectionIdx} onChange={(e) => setSectionIdx(Number(e.target.value))}>
        {layout.sections.map((s, k) => (
          <option key={s.id} value={k}>
            {s.name} — {formatMoney(s.priceCents, currency)} — {availableBySection[k] === 0 ? 'sold out' : `${availableBySection[k]} available`}
          </option>
        ))}
      </Select>
      {sec && (
        <div className="max-h-[28rem] space-y-3 overflow-y-auto pr-1" role="region" aria-label={`Seats in ${sec.name}`} tabIndex={0}>
          {sec.rows.map((row) => {
            const open = row.seats.filter((i) => statuses[i] === STATUS.available || selected.has(i));
            return (
              <fieldset key={row.label} className="rounded-lg border border-slate-200 p-3">
                <legend className="px-1 text-sm font-medium text-slate-800">
                  Row {row.label} <span className="font-normal text-slate-500">({open.length === 0 ? 'no seats left' : `${open.length} available`})</span>
                </legend>
                {open.length > 0 && (
                  <div className="flex flex-wrap gap-1.5">
                    {open.map((i) => {
                      const on = selected.has(i);
                      return (
                        <button
                          key={i}
                          type="button"
                          aria-pressed={on}
                          aria-label={`Row ${row.label}, seat ${layout.numbers[i]}${layout.accessible[i] ? ', wheelchair accessible' : ''}`}
                          onClick={() => onToggle(i)}
                          className={cx(
                            'h-9 min-w-9 rounded-md px-2 text-sm font-medium ring-1 ring-inset',
                            on ? 'bg-slate-900 text-white ring-slate-900' : 'bg-white text-slate-800 ring-slate-300 hover:bg-slate-50',
                          )}
                        >
                          {on && <span aria-hidden="true">✓ </span>}
                          {layout.numbers[i]}
                          {layout.accessible[i] ? <span aria-hidden="true"> ♿</span> : null}
                        </button>
                      );
                    })}
                  </div>
                )}
              </fieldset>
            );
          })}
        </div>
      )}
    </div>
  );
}
