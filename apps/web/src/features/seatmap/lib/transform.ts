import type { Bounds } from './layout';

/** Screen position = world position × scale + (tx, ty), in CSS pixels. */
export interface View {
  scale: number;
  tx: number;
  ty: number;
}

export interface ZoomLimits {
  min: number;
  max: number;
}

/** World → screen (CSS px). */
export function worldToScreen(v: View, x: number, y: number): [number, number] {
  return [x * v.scale + v.tx, y * v.scale + v.ty];
}

/** Screen (CSS px) → world. */
export function screenToWorld(v: View, sx: number, sy: number): [number, number] {
  return [(sx - v.tx) / v.scale, (sy - v.ty) / v.scale];
}

/** The view that shows all of `b`, centred, inside a `width` × `height` viewport with `padding` px around. */
export function fitView(b: Bounds, width: number, height: number, padding = 16): View {
  const w = Math.max(b.maxX - b.minX, 1e-6);
  const h = Math.max(b.maxY - b.minY, 1e-6);
  const scale = Math.max(1e-6, Math.min((width - 2 * padding) / w, (height - 2 * padding) / h));
  return { scale, tx: (width - w * scale) / 2 - b.minX * scale, ty: (height - h * scale) / 2 - b.minY * scale };
}

/** Zoom by `factor` about screen point (sx, sy), which stays under the cursor; scale clamped to `limits`. */
export function zoomAt(v: View, sx: number, sy: number, factor: number, limits: ZoomLimits): View {
  const scale = Math.min(limits.max, Math.max(limits.min, v.scale * factor));
  const k = scale / v.scale;
  return { scale, tx: sx - (sx - v.tx) * k, ty: sy - (sy - v.ty) * k };
}

/** Move the view by (dx, dy) screen px. */
export function panBy(v: View, dx: number, dy: number): View {
  return { scale: v.scale, tx: v.tx + dx, ty: v.ty + dy };
}

/**
 * Keep at least `margin` px of the content `b` inside the viewport so the map cannot be
 * dragged out of sight.
 */
export function clampPan(v: View, b: Bounds, width: number, height: number, margin = 48): View {
  const left = b.minX * v.scale + v.tx;
  const right = b.maxX * v.scale + v.tx;
  const top = b.minY * v.scale + v.ty;
  const bottom = b.maxY * v.scale + v.ty;
  let { tx, ty } = v;
  if (right < margin) tx += margin - right;
  if (left > width - margin) tx -= left - (width - margin);
  if (bottom < margin) ty += margin - bottom;
  if (top > height - margin) ty -= top - (height - margin);
  return { scale: v.scale, tx, ty };
}

/** The smallest pan that brings world point (x, y) at least `margin` px inside the viewport. */
export function ensureVisible(v: View, x: number, y: number, width: number, height: number, margin = 32): View {
  const [sx, sy] = worldToScreen(v, x, y);
  let { tx, ty } = v;
  if (sx < margin) tx += margin - sx;
  else if (sx > width - margin) tx -= sx - (width - margin);
  if (sy < margin) ty += margin - sy;
  else if (sy > height - margin) ty -= sy - (height - margin);
  return { scale: v.scale, tx, ty };
}

/** The world rectangle the viewport shows. */
export function visibleWorld(v: View, width: number, height: number): Bounds {
  const [minX, minY] = screenToWorld(v, 0, 0);
  const [maxX, maxY] = screenToWorld(v, width, height);
  return { minX, minY, maxX, maxY };
}
