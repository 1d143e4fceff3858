import { formatMoney } from '../../../lib/format';
import type { LayoutSection } from '../lib/layout';
import { HELD_STROKE, SELECTED_FILL, SOLD_CROSS, SOLD_FILL, tierColor } from '../lib/palette';

/** Price tiers (colour) and seat states (shape): what the map's marks mean. */
export function SeatLegend({ sections, currency }: { sections: LayoutSection[]; currency: string }) {
  const tiers = new Map<number, { colorIndex: number; names: string[] }>();
  for (const s of sections) {
    const t = tiers.get(s.priceCents) ?? { colorIndex: s.colorIndex, names: [] };
    t.names.push(s.name);
    tiers.set(s.priceCents, t);
  }
  const sorted = [...tiers.entries()].sort((a, b) => b[0] - a[0]);
  return (
    <div className="space-y-3 text-sm">
      <ul className="flex flex-wrap gap-x-4 gap-y-1.5" aria-label="Price tiers">
        {sorted.map(([price, t]) => (
          <li key={price} className="flex items-center gap-1.5">
            <svg width="14" height="14" aria-hidden="true">
              <circle cx="7" cy="7" r="6" fill={tierColor(t.colorIndex)} />
            </svg>
            <span className="font-medium">{formatMoney(price, currency)}</span>
            <span className="text-slate-500">{t.names.length <= 2 ? t.names.join(', ') : `${t.names.length} sections`}</span>
          </li>
        ))}
      </ul>
      <ul className="flex flex-wrap gap-x-4 gap-y-1.5 text-slate-700" aria-label="Seat states">
        <li className="flex items-center gap-1.5">
          <svg width="14" height="14" aria-hidden="true">
            {/* filled in its price colour (the top tier's here), as on the map */}
            <circle cx="7" cy="7" r="6" fill={tierColor(sorted[0]?.[1].colorIndex ?? 0)} />
          </svg>
          Available
        </li>
        <li className="flex items-center gap-1.5">
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="6" fill={SELECTED_FILL} />
            <path d="M4 7l2 2 4-4" stroke="#fff" strokeWidth="1.6" fill="none" />
          </svg>
          Your pick
        </li>
        <li className="flex items-center gap-1.5">
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="4.6" fill="#f1f5f9" stroke={HELD_STROKE} strokeWidth="2" />
          </svg>
          Held
        </li>
        <li className="flex items-center gap-1.5">
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="3.5" fill={SOLD_FILL} />
            <path d="M4 4l6 6M10 4l-6 6" stroke={SOLD_CROSS} strokeWidth="1.4" />
          </svg>
          Sold
        </li>
      </ul>
    </div>
  );
}
