import type { SeatLayout } from './layout';
import type { SpatialGrid } from './spatial-grid';
import { screenToWorld, type View } from './transform';

/** Smallest hit target in CSS px (a seat drawn 2 px wide must still be clickable by a finger). */
export const MIN_HIT_RADIUS_PX = 10;

/**
 * The seat under screen point (sx, sy) in CSS px, or -1. A seat is hit within its drawn
 * radius, widened to MIN_HIT_RADIUS_PX on screen when zoomed out, capped at half the spacing
 * so neighbours never steal each other's clicks when zoomed in.
 */
export function hitTest(layout: SeatLayout, grid: SpatialGrid, view: View, sx: number, sy: number): number {
  const [x, y] = screenToWorld(view, sx, sy);
  const halfSpacing = layout.seatRadius / 0.8;
  const radius = Math.max(layout.seatRadius, Math.min(MIN_HIT_RADIUS_PX / view.scale, halfSpacing * 2));
  return grid.nearest(layout.xs, layout.ys, x, y, radius);
}
