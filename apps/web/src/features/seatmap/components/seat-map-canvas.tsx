import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { cx } from '../../../components/ui';
import { formatMoney } from '../../../lib/format';
import { STATUS } from '../lib/availability';
import { hitTest } from '../lib/hit-test';
import { nextSeat, type Direction } from '../lib/keyboard-nav';
import { describeSeat, type SeatLayout } from '../lib/layout';
import { FOCUS_RING, HELD_STROKE, SELECTED_FILL, SOLD_CROSS, SOLD_FILL, TIER_COLORS, tierColor } from '../lib/palette';
import type { SpatialGrid } from '../lib/spatial-grid';
import { clampPan, ensureVisible, fitView, panBy, visibleWorld, worldToScreen, zoomAt, type View, type ZoomLimits } from '../lib/transform';

export interface SeatMapCanvasProps {
  layout: SeatLayout;
  grid: SpatialGrid;
  statuses: Uint8Array;
  /** Changes whenever `statuses` changed in place. */
  revision: number;
  /** Seat indices the user picked (drawn dark, with a check). */
  selected: ReadonlySet<number>;
  /** A hold request is in flight for the selection (drawn with a dashed ring). */
  pending?: boolean;
  currency: string;
  /** Enter/Space/click on a seat; the parent decides what happens. */
  onToggle: (index: number) => void;
  /** performance.now() when the data arrived; the first draw reports its latency. */
  dataArrivedAt?: number;
  className?: string;
}

const DRAG_THRESHOLD_PX = 5;
const ARROWS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

function statusWord(status: number, mine: boolean): string {
  if (mine) return 'selected';
  return status === STATUS.available ? 'available' : status === STATUS.held ? 'held by someone' : status === STATUS.sold ? 'sold' : 'unavailable';
}

declare global {
  interface Window {
    /** Seat-map render timings, read by the measurement script (docs/architecture/web.md). */
    __seatmapMetrics?: {
      seats: number;
      /** Loader data in hand → first frame drawn (layout build + React render + draw). */
      firstDrawMs: number;
      /** buildLayout + spatial grid, part of firstDrawMs. */
      layoutMs?: number;
      /** The first draw call alone. */
      firstDrawCallMs?: number;
      /** From the canvas component's first render to the end of its first draw. */
      renderToDrawMs?: number;
      drawMs: number[];
    };
  }
}

/**
 * The seat map on a <canvas>: thousands of seats drawn in a few batched paths, zoom and pan
 * with wheel / drag / pinch / buttons, hover and keyboard focus with a tooltip, and hit-testing
 * through the spatial grid. Interaction state lives in refs so panning never re-renders React.
 */
export function SeatMapCanvas({ layout, grid, statuses, revision, selected, pending, currency, onToggle, dataArrivedAt, className }: SeatMapCanvasProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<View | null>(null);
  const sizeRef = useRef({ w: 0, h: 0, dpr: 1 });
  const limitsRef = useRef<ZoomLimits>({ min: 0.01, max: 100 });
  const hoverRef = useRef(-1);
  const focusRef = useRef(-1);
  const frameRef = useRef(0);
  const firstDrawDone = useRef(false);
  const mountedAt = useRef(0);
  if (!mountedAt.current) mountedAt.current = performance.now();
  const propsRef = useRef({ statuses, selected, pending });
  propsRef.current = { statuses, selected, pending };
  const [tip, setTip] = useState<{ index: number; x: number; y: number; viaKeyboard: boolean } | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const draw = useCallback(() => {
    frameRef.current = 0;
    const canvas = canvasRef.current;
    const view = viewRef.current;
    if (!canvas || !view) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const t0 = performance.now();
    const { w, h, dpr } = sizeRef.current;
    const { statuses: st, selected: sel, pending: pend } = propsRef.current;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);

    const r = layout.seatRadius;
    const rPx = r * view.scale;
    const tiny = rPx < 1.6;
    const avail: Path2D[] = TIER_COLORS.map(() => new Path2D());
    const held = new Path2D();
    const sold = new Path2D();
    const soldCross = new Path2D();
    const mine = new Path2D();
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
    if (hoverRef.current !== focusRef.current) ring(hoverRef.current, '#0f172a', 1.5);
    if (document.activeElement === canvas) ring(focusRef.current, FOCUS_RING, 3);

    const t1 = performance.now();
    const m = (window.__seatmapMetrics ??= { seats: layout.order.length, firstDrawMs: -1, drawMs: [] });
    m.drawMs.push(Math.round((t1 - t0) * 10) / 10);
    if (m.drawMs.length > 50) m.drawMs.shift();
    if (!firstDrawDone.current) {
      firstDrawDone.current = true;
      const since = dataArrivedAt ?? t0;
      m.seats = layout.order.length;
      m.firstDrawMs = Math.round((t1 - since) * 10) / 10;
      m.firstDrawCallMs = Math.round((t1 - t0) * 10) / 10;
      m.renderToDrawMs = Math.round((t1 - mountedAt.current) * 10) / 10;
      performance.mark('seatmap:first-draw');
    }
  }, [layout, grid, dataArrivedAt]);

  const schedule = useCallback(() => {
    if (!frameRef.current) frameRef.current = requestAnimationFrame(draw);
  }, [draw]);

  const setView = useCallback(
    (v: View) => {
      const { w, h } = sizeRef.current;
      viewRef.current = clampPan(v, layout.bounds, w, h);
      schedule();
    },
    [layout, schedule],
  );

  const resetView = useCallback(() => {
    const { w, h } = sizeRef.current;
    if (!w || !h) return;
    const fit = fitView(layout.bounds, w, h, 24);
    limitsRef.current = { min: fit.scale * 0.7, max: Math.max(fit.scale * 60, 28 / layout.seatRadius) };
    viewRef.current = fit;
    schedule();
  }, [layout, schedule]);

  // Size the canvas to its box at the device pixel ratio; first size also fits the view.
  useLayoutEffect(() => {
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    const resize = () => {
      const rect = wrap.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const w = Math.max(1, Math.round(rect.width));
      const h = Math.max(1, Math.round(rect.height));
      sizeRef.current = { w, h, dpr };
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
      // The first size fits the map and draws at once (no frame wait): this is the first paint.
      if (!viewRef.current) {
        resetView();
        cancelAnimationFrame(frameRef.current);
      }
      draw();
    };
    resize();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(resize);
    ro.observe(wrap);
    return () => ro.disconnect();
  }, [resetView, draw]);

  // A new layout (another event, or the loader refetched it) is measured again.
  useEffect(() => {
    firstDrawDone.current = false;
  }, [layout]);

  // New statuses or selection: redraw on the next frame.
  useEffect(() => schedule(), [revision, selected, pending, schedule]);
  useEffect(() => () => cancelAnimationFrame(frameRef.current), []);

  const zoomBy = useCallback(
    (factor: number, sx?: number, sy?: number) => {
      const v = viewRef.current;
      if (!v) return;
      const { w, h } = sizeRef.current;
      setView(zoomAt(v, sx ?? w / 2, sy ?? h / 2, factor, limitsRef.current));
      setTip(null);
    },
    [setView],
  );

  // Wheel zoom needs a non-passive listener to stop the page from scrolling.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      zoomBy(Math.exp(-delta * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [zoomBy]);

  // Pointer gestures: one pointer drags (or clicks when it barely moved), two pointers pinch.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ moved: boolean; startX: number; startY: number; pinchDist: number; midX: number; midY: number } | null>(null);

  const localPoint = (e: { clientX: number; clientY: number }) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  function showTipFor(index: number, viaKeyboard: boolean) {
    const v = viewRef.current;
    if (index < 0 || !v) {
      setTip(null);
      return;
    }
    const [x, y] = worldToScreen(v, layout.xs[index]!, layout.ys[index]!);
    setTip({ index, x, y, viaKeyboard });
  }

  function onPointerDown(e: React.PointerEvent<HTMLCanvasElement>) {
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = localPoint(e);
    pointers.current.set(e.pointerId, p);
    if (pointers.current.size === 1) gesture.current = { moved: false, startX: p.x, startY: p.y, pinchDist: 0, midX: p.x, midY: p.y };
    else if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      gesture.current = { moved: true, startX: 0, startY: 0, pinchDist: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
    }
  }

  function onPointerMove(e: React.PointerEvent<HTMLCanvasElement>) {
    const p = localPoint(e);
    const prev = pointers.current.get(e.pointerId);
    const g = gesture.current;
    const v = viewRef.current;
    if (!prev || !g || !v) {
      // Plain hover (mouse, no button pressed).
      if (e.pointerType === 'mouse' && v) {
        const i = hitTest(layout, grid, v, p.x, p.y);
        if (i !== hoverRef.current) {
          hoverRef.current = i;
          showTipFor(i, false);
          schedule();
        }
        e.currentTarget.style.cursor = i >= 0 ? 'pointer' : 'grab';
      }
      return;
    }
    pointers.current.set(e.pointerId, p);
    if (pointers.current.size >= 2) {
      const [a, b] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const dist = Math.hypot(a.x - b.x, a.y - b.y);
      const midX = (a.x + b.x) / 2;
      const midY = (a.y + b.y) / 2;
      let next = panBy(v, midX - g.midX, midY - g.midY);
      if (g.pinchDist > 0) next = zoomAt(next, midX, midY, dist / g.pinchDist, limitsRef.current);
      Object.assign(g, { pinchDist: dist, midX, midY });
      setView(next);
      setTip(null);
      return;
    }
    if (!g.moved && Math.hypot(p.x - g.startX, p.y - g.startY) < DRAG_THRESHOLD_PX) return;
    g.moved = true;
    e.currentTarget.style.cursor = 'grabbing';
    setView(panBy(v, p.x - prev.x, p.y - prev.y));
    setTip(null);
  }

  function onPointerUp(e: React.PointerEvent<HTMLCanvasElement>) {
    const g = gesture.current;
    pointers.current.delete(e.pointerId);
    if (pointers.current.size > 0) {
      // One finger of a pinch lifted: continue as a drag from the remaining finger.
      const [rest] = [...pointers.current.values()];
      if (rest) gesture.current = { moved: true, startX: rest.x, startY: rest.y, pinchDist: 0, midX: rest.x, midY: rest.y };
      return;
    }
    gesture.current = null;
    e.currentTarget.style.cursor = '';
    if (!g || g.moved || !viewRef.current) return;
    const p = localPoint(e);
    const i = hitTest(layout, grid, viewRef.current, p.x, p.y);
    if (i >= 0) {
      onToggle(i);
      if (e.pointerType !== 'mouse') showTipFor(i, false);
    }
  }

  function onPointerLeave() {
    if (pointers.current.size) return;
    hoverRef.current = -1;
    setTip(null);
    schedule();
  }

  function describe(i: number): string {
    const d = describeSeat(layout, i);
    const st = propsRef.current.statuses[i] ?? STATUS.unknown;
    const mine = propsRef.current.selected.has(i);
    return `${d.section.name}, row ${d.row}, seat ${d.number}, ${formatMoney(d.section.priceCents, currency)}, ${statusWord(st, mine)}${layout.accessible[i] ? ', wheelchair accessible' : ''}`;
  }

  function focusSeat(i: number) {
    focusRef.current = i;
    const v = viewRef.current;
    if (v) {
      const { w, h } = sizeRef.current;
      viewRef.current = ensureVisible(v, layout.xs[i]!, layout.ys[i]!, w, h, 40);
    }
    showTipFor(i, true);
    setAnnouncement(describe(i));
    schedule();
  }

  function onKeyDown(e: ReactKeyboardEvent<HTMLCanvasElement>) {
    const dir = ARROWS[e.key];
    if (dir) {
      e.preventDefault();
      const from = focusRef.current >= 0 ? focusRef.current : layout.order[0] ?? -1;
      if (from < 0) return;
      // Arrows walk the seats one can pick (available or already picked); the list view shows the rest.
      const { statuses: st, selected: sel } = propsRef.current;
      const to = focusRef.current < 0 ? from : nextSeat(layout, from, dir, (i) => st[i] === STATUS.available || sel.has(i));
      if (to >= 0) focusSeat(to);
      else setAnnouncement(`No more free seats ${dir === 'left' || dir === 'right' ? `to the ${dir}` : dir === 'up' ? 'above' : 'below'}.`);
      return;
    }
    if ((e.key === 'Enter' || e.key === ' ') && focusRef.current >= 0) {
      e.preventDefault();
      onToggle(focusRef.current);
      // Re-announce after the parent updated the selection.
      const i = focusRef.current;
      setTimeout(() => setAnnouncement(describe(i)), 50);
      return;
    }
    if (e.key === '+' || e.key === '=') {
      e.preventDefault();
      zoomBy(1.4);
    } else if (e.key === '-' || e.key === '_') {
      e.preventDefault();
      zoomBy(1 / 1.4);
    } else if (e.key === '0') {
      e.preventDefault();
      resetView();
    } else if (e.key === 'Escape') {
      setTip(null);
    }
  }

  function onFocus() {
    if (focusRef.current < 0) {
      // Start on the first available seat so Enter does something useful right away.
      const st = propsRef.current.statuses;
      let first = -1;
      for (let k = 0; k < layout.order.length; k++) {
        const i = layout.order[k]!;
        if (st[i] === STATUS.available) {
          first = i;
          break;
        }
      }
      if (first < 0) first = layout.order[0] ?? -1;
      if (first >= 0) focusSeat(first);
    } else {
      focusSeat(focusRef.current);
    }
  }

  const tipSeat = tip ? describeSeat(layout, tip.index) : null;
  const tipStatus = tip ? statusWord(statuses[tip.index] ?? STATUS.unknown, selected.has(tip.index)) : '';
  const { w } = sizeRef.current;

  return (
    <div ref={wrapRef} className={cx('relative overflow-hidden rounded-xl bg-white ring-1 ring-slate-200 has-[canvas:focus-visible]:ring-3 has-[canvas:focus-visible]:ring-brand-500', className)}>
      <canvas
        ref={canvasRef}
        tabIndex={0}
        role="application"
        aria-roledescription="seat map"
        aria-label="Seat map. Arrow keys move between free seats, Enter or Space selects, plus and minus zoom, 0 resets the view. The List view lists every free seat."
        aria-describedby="seatmap-live"
        className="block touch-none select-none focus-visible:outline-none"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={onPointerLeave}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={() => {
          setTip(null);
          schedule();
        }}
      />
      <p id="seatmap-live" className="sr-only" aria-live="polite">
        {announcement}
      </p>
      {tip && tipSeat && (
        <div
          role="presentation"
          className="pointer-events-none absolute z-10 w-max max-w-[16rem] rounded-lg bg-slate-900 px-3 py-2 text-xs text-white shadow-lg"
          style={{
            left: Math.min(Math.max(tip.x, 90), Math.max(90, w - 90)),
            top: tip.y > 90 ? tip.y - 12 : tip.y + 18,
            transform: tip.y > 90 ? 'translate(-50%, -100%)' : 'translate(-50%, 0)',
          }}
        >
          <div className="font-semibold">
            {tipSeat.section.name} · Row {tipSeat.row} · Seat {tipSeat.number}
          </div>
          <div>
            {formatMoney(tipSeat.section.priceCents, currency)} · <span className="capitalize">{tipStatus}</span>
            {layout.accessible[tip.index] ? ' · ♿' : ''}
          </div>
        </div>
      )}
      <div className="absolute right-2 top-2 flex flex-col gap-1" role="group" aria-label="Zoom">
        <MapButton label="Zoom in" onClick={() => zoomBy(1.5)}>
          +
        </MapButton>
        <MapButton label="Zoom out" onClick={() => zoomBy(1 / 1.5)}>
          −
        </MapButton>
        <MapButton label="Reset view" onClick={resetView}>
          <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
            <path d="M4 9V4h5M20 15v5h-5M4 4l6 6M20 20l-6-6" strokeLinecap="round" />
          </svg>
        </MapButton>
      </div>
    </div>
  );
}

function MapButton({ label, onClick, children }: { label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="flex h-9 w-9 items-center justify-center rounded-lg bg-white text-lg font-semibold text-slate-700 shadow ring-1 ring-slate-300 hover:bg-slate-50"
    >
      {children}
    </button>
  );
}
