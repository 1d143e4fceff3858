import type { SeatLayout } from './layout';

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The seat to move keyboard focus to from `from` in `direction`: the nearest seat that lies
 * that way, preferring seats in line (the same row for left/right), so arrows walk a row and
 * step between rows the way a sighted user reads the map. -1 when there is none.
 */
export function nextSeat(layout: SeatLayout, from: number, direction: Direction, eligible?: (index: number) => boolean): number {
  const fx = layout.xs[from]!;
  const fy = layout.ys[from]!;
  const eps = layout.seatRadius * 0.25;
  let best = -1;
  let bestCost = Infinity;
  for (let k = 0; k < layout.order.length; k++) {
    const i = layout.order[k]!;
    if (i === from || (eligible && !eligible(i))) continue;
    const dx = layout.xs[i]! - fx;
    const dy = layout.ys[i]! - fy;
    let along: number;
    let across: number;
    switch (direction) {
      case 'right':
        along = dx;
        across = dy;
        break;
      case 'left':
        along = -dx;
        across = dy;
        break;
      case 'down':
        along = dy;
        across = dx;
        break;
      default:
        along = -dy;
        across = dx;
    }
    if (along <= eps) continue;
    // Sideways distance costs far more than distance ahead: stay in the row / column.
    const cost = along + Math.abs(across) * 4;
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  }
  return best;
}
