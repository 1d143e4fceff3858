import { STATUS } from './availability';
import type { SeatLayout } from './layout';
import { FOCUS_RING, HELD_STROKE, SELECTED_FILL, SOLD_CROSS, SOLD_FILL, TIER_COLORS } from './palette';
import type { SpatialGrid } from './spatial-grid';
import { visibleWorld, worldToScreen, type View } from './transform';

/** The canvas box in CSS pixels and the device pixel ratio its backing store uses. */
export interface CanvasSize {
  w: number;
  h: number;
  dpr: number;
}

/** Everything one frame of the seat map shows. */
export interface SeatMapScene {
  layout: SeatLayout;
  grid: SpatialGrid;
  statuses: Uint8Array;
  /** Seat indices the user picked (drawn dark, with a check). */
  selected: ReadonlySet<number>;
  /** A hold request is in flight for the selection (dashed rings). */
  pending?: boolean;
  view: View;
  size: CanvasSize;
  /** Seat under the mouse, or -1. */
  hover: number;
  /** Seat with the keyboard focus, or -1; its ring shows only while `focused`. */
  focus: number;
  /** The canvas has the document's focus. */
  focused: boolean;
}

/**
 * Draw one frame of the seat map on `ctx` (whose canvas is `size` at `size.dpr`): the visible
 * seats in a few batched paths by tier and status, checks on the selection, section names that
 * do not overlap, and the hover and focus rings. Pure apart from the calls on `ctx`;
 * `makePath` exists so tests can record the paths.
 */
export function drawSeatMap(ctx: CanvasRenderingContext2D, scene: SeatMapScene, makePath: () => Path2D = () => new Path2D()): void {
  const { layout, grid, statuses: st, selected: sel, pending: pend, view, hover, focus, focused } = scene;
  const { w, h, dpr } = scene.size;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);

  const r = layout.seatRadius;
  const rPx = r * view.scale;
  const tiny = rPx < 1.6;
  const avail: Path2D[] = TIER_COLORS.map(() => makePath());
  const held = makePath();
  const sold = makePath();
  const soldCross = makePath();
  const mine = makePath();
  const add = (p: Path2D, x: number, y: number, rad: number) => {
    if (tiny) p.rect(x - rad, y - rad, rad * 2, rad * 2);
    else {
      p.moveTo(x + rad, y);
      p.arc(x, y, rad, 0, Math.PI * 2);
    }
  };
  const vis = visibleWorld(view, w, h);
  const xs = layout.xs;
  const ys = layout.ys;
  grid.forEachInRect(vis.minX - r, vis.minY - r, vis.maxX + r, vis.maxY + r, (i) => {
    const x = xs[i]!;
    const y = ys[i]!;
    if (sel.has(i)) return add(mine, x, y, r);
    const s = st[i];
    if (s === STATUS.available) add(avail[layout.sections[layout.sectionOf[i]!]!.colorIndex % TIER_COLORS.length]!, x, y, r);
    else if (s === STATUS.held) add(held, x, y, r * 0.78);
    else {
      add(sold, x, y, r * 0.55);
      if (rPx >= 5) {
        const c = r * 0.5;
        soldCross.moveTo(x - c, y - c);
        soldCross.lineTo(x + c, y + c);
        soldCross.moveTo(x + c, y - c);
        soldCross.lineTo(x - c, y + c);
      }
    }
  });

  ctx.setTransform(dpr * view.scale, 0, 0, dpr * view.scale, dpr * view.tx, dpr * view.ty);
  avail.forEach((p, k) => {
    ctx.fillStyle = TIER_COLORS[k]!;
    ctx.fill(p);
  });
  // Held: an empty ring. Sold: a small grey dot, crossed once large enough to see.
  ctx.fillStyle = '#f1f5f9';
  ctx.fill(held);
  ctx.lineWidth = Math.max(r * 0.3, 1 / view.scale);
  ctx.strokeStyle = HELD_STROKE;
  ctx.stroke(held);
  ctx.fillStyle = SOLD_FILL;
  ctx.fill(sold);
  ctx.lineWidth = Math.max(r * 0.16, 0.8 / view.scale);
  ctx.strokeStyle = SOLD_CROSS;
  ctx.stroke(soldCross);
  ctx.fillStyle = SELECTED_FILL;
  ctx.fill(mine);

  // Selected seats get a white check (or a dashed ring while the hold is in flight).
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  for (const i of sel) {
    const [sx, sy] = worldToScreen(view, xs[i]!, ys[i]!);
    if (sx < -20 || sy < -20 || sx > w + 20 || sy > h + 20) continue;
    const rr = Math.max(rPx, 3);
    if (pend) {
      ctx.setLineDash([3, 3]);
      ctx.strokeStyle = SELECTED_FILL;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(sx, sy, rr + 4, 0, Math.PI * 2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (rr >= 5) {
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = Math.max(1.5, rr * 0.22);
      ctx.beginPath();
      ctx.moveTo(sx - rr * 0.45, sy);
      ctx.lineTo(sx - rr * 0.1, sy + rr * 0.35);
      ctx.lineTo(sx + rr * 0.5, sy - rr * 0.35);
      ctx.stroke();
    } else {
      ctx.strokeStyle = SELECTED_FILL;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(sx, sy, rr + 2.5, 0, Math.PI * 2);
      ctx.stroke();
    }
  }

  // Section names once a section is wide enough on screen to carry one.
  ctx.font = '600 12px ui-sans-serif, system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  // Skip a label that would overlap one already drawn (small screens, zoomed out).
  const placed: [number, number, number, number][] = [];
  for (const sec of layout.sections) {
    const [x0, y0] = worldToScreen(view, sec.bounds.minX, sec.bounds.minY);
    const [x1] = worldToScreen(view, sec.bounds.maxX, sec.bounds.minY);
    if (x1 - x0 < 48 || x1 < 0 || x0 > w || y0 < 0 || y0 > h + 14) continue;
    const label = sec.name;
    const tx = (x0 + x1) / 2;
    const ty = y0 - Math.max(rPx, 2) - 3;
    const half = ctx.measureText(label).width / 2 + 3;
    const box: [number, number, number, number] = [tx - half, ty - 14, tx + half, ty + 1];
    if (placed.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3])) continue;
    placed.push(box);
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.strokeText(label, tx, ty);
    ctx.fillStyle = '#334155';
    ctx.fillText(label, tx, ty);
  }

  // Hover and keyboard focus rings.
  const ring = (i: number, color: string, width: number) => {
    if (i < 0) return;
    const [sx, sy] = worldToScreen(view, xs[i]!, ys[i]!);
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.arc(sx, sy, Math.max(rPx, 4) + 3, 0, Math.PI * 2);
    ctx.stroke();
  };
  if (hover !== focus) ring(hover, '#0f172a', 1.5);
  if (focused) ring(focus, FOCUS_RING, 3);
}
