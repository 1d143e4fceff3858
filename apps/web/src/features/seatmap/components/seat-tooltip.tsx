import { formatMoney } from '../../../lib/format';
import { describeSeat, type SeatLayout } from '../lib/layout';

/** Where a seat's tooltip points: the seat's centre on the canvas and the canvas width, in CSS px. */
export interface SeatTip {
  index: number;
  x: number;
  y: number;
  boxWidth: number;
}

/** The dark tooltip over a seat: section, row, seat, price, status word, and ♿ when accessible. */
export function SeatTooltip({ layout, tip, status, currency }: { layout: SeatLayout; tip: SeatTip; status: string; currency: string }) {
  const seat = describeSeat(layout, tip.index);
  return (
    <div
      role="presentation"
      className="pointer-events-none absolute z-10 w-max max-w-[16rem] rounded-lg bg-slate-900 px-3 py-2 text-xs text-white shadow-lg"
      style={{
        left: Math.min(Math.max(tip.x, 90), Math.max(90, tip.boxWidth - 90)),
        top: tip.y > 90 ? tip.y - 12 : tip.y + 18,
        transform: tip.y > 90 ? 'translate(-50%, -100%)' : 'translate(-50%, 0)',
      }}
    >
      <div className="font-semibold">
        {seat.section.name} · Row {seat.row} · Seat {seat.number}
      </div>
      <div>
        {formatMoney(seat.section.priceCents, currency)} · <span className="capitalize">{status}</span>
        {layout.accessible[tip.index] ? ' · ♿' : ''}
      </div>
    </div>
  );
}
