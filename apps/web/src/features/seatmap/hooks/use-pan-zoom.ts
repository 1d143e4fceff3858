import { useCallback, useEffect, useLayoutEffect, useRef, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';
import type { CanvasSize } from '../lib/draw-seatmap';
import type { Bounds } from '../lib/layout';
import { clampPan, ensureVisible, fitView, panBy, zoomAt, type View, type ZoomLimits } from '../lib/transform';

/** A point in CSS px relative to the canvas' top-left corner. */
export interface CanvasPoint {
  x: number;
  y: number;
}

/** What the pan/zoom hook needs from the component that owns the canvas. */
export interface PanZoomOptions {
  wrapRef: RefObject<HTMLDivElement | null>;
  canvasRef: RefObject<HTMLCanvasElement | null>;
  /** World rectangle of the content (the view fits it and cannot lose it). */
  bounds: Bounds;
  /** Seat radius in world units (sets the deepest zoom). */
  seatRadius: number;
  /** Paint one frame with this view; a new function redraws at once. */
  draw: (view: View, size: CanvasSize) => void;
  /** A zoom, drag or pinch moved the view. */
  onViewMoved?: () => void;
  /** A press released without dragging (a click or a tap). */
  onTap?: (p: CanvasPoint, e: ReactPointerEvent<HTMLCanvasElement>) => void;
  /** A mouse moved over the canvas with no gesture in progress. */
  onHover?: (p: CanvasPoint, e: ReactPointerEvent<HTMLCanvasElement>) => void;
  /** The pointer left the canvas with no gesture in progress. */
  onLeave?: () => void;
}

/** The view and the controls the pan/zoom hook gives back. */
export interface PanZoom {
  /** The current view (null before the canvas has a size). */
  viewRef: RefObject<View | null>;
  /** The canvas box in CSS px and its device pixel ratio. */
  sizeRef: RefObject<CanvasSize>;
  /** Redraw on the next animation frame (several calls make one frame). */
  redraw: () => void;
  /** Zoom by `factor` about a canvas point (default: the centre). */
  zoomBy: (factor: number, sx?: number, sy?: number) => void;
  /** Fit the whole map again. */
  resetView: () => void;
  /** Pan just enough that world point (x, y) is `margin` px inside the canvas. */
  reveal: (x: number, y: number, margin: number) => void;
  /** Pointer handlers for the canvas: one pointer drags (or taps), two pinch. */
  pointerHandlers: {
    onPointerDown: (e: ReactPointerEvent<HTMLCanvasElement>) => void;
    onPointerMove: (e: ReactPointerEvent<HTMLCanvasElement>) => void;
    onPointerUp: (e: ReactPointerEvent<HTMLCanvasElement>) => void;
    onPointerCancel: (e: ReactPointerEvent<HTMLCanvasElement>) => void;
    onPointerLeave: () => void;
  };
}

const DRAG_THRESHOLD_PX = 5;

type Gesture = { moved: boolean; startX: number; startY: number; pinchDist: number; midX: number; midY: number };

/**
 * Pan and zoom of a canvas: sizes it to its box at the device pixel ratio (the first size fits
 * the content and paints at once), wheel zoom about the cursor, drag to pan, two-finger pinch,
 * and frame scheduling. The view lives in refs so panning never re-renders React.
 */
export function usePanZoom({ wrapRef, canvasRef, bounds, seatRadius, draw, onViewMoved, onTap, onHover, onLeave }: PanZoomOptions): PanZoom {
  const viewRef = useRef<View | null>(null);
  const sizeRef = useRef<CanvasSize>({ w: 0, h: 0, dpr: 1 });
  const limitsRef = useRef<ZoomLimits>({ min: 0.01, max: 100 });
  const frameRef = useRef(0);
  const pointers = useRef(new Map<number, CanvasPoint>());
  const gesture = useRef<Gesture | null>(null);
  // The latest callbacks, for handlers that outlive a render.
  const callbacks = useRef({ onViewMoved, onTap, onHover, onLeave });
  useLayoutEffect(() => {
    callbacks.current = { onViewMoved, onTap, onHover, onLeave };
  });

  const paint = useCallback(() => {
    frameRef.current = 0;
    const view = viewRef.current;
    if (view) draw(view, sizeRef.current);
  }, [draw]);

  const redraw = useCallback(() => {
    if (!frameRef.current) frameRef.current = requestAnimationFrame(paint);
  }, [paint]);

  const setView = useCallback(
    (v: View) => {
      const { w, h } = sizeRef.current;
      viewRef.current = clampPan(v, bounds, w, h);
      redraw();
    },
    [bounds, redraw],
  );

  const resetView = useCallback(() => {
    const { w, h } = sizeRef.current;
    if (!w || !h) return;
    const fit = fitView(bounds, w, h, 24);
    limitsRef.current = { min: fit.scale * 0.7, max: Math.max(fit.scale * 60, 28 / seatRadius) };
    viewRef.current = fit;
    redraw();
  }, [bounds, seatRadius, redraw]);

  const zoomBy = useCallback(
    (factor: number, sx?: number, sy?: number) => {
      const v = viewRef.current;
      if (!v) return;
      const { w, h } = sizeRef.current;
      setView(zoomAt(v, sx ?? w / 2, sy ?? h / 2, factor, limitsRef.current));
      callbacks.current.onViewMoved?.();
    },
    [setView],
  );

  const reveal = useCallback((x: number, y: number, margin: number) => {
    const v = viewRef.current;
    if (!v) return;
    const { w, h } = sizeRef.current;
    viewRef.current = ensureVisible(v, x, y, w, h, margin);
  }, []);

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
      paint();
    };
    resize();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(resize);
    ro.observe(wrap);
    return () => ro.disconnect();
  }, [wrapRef, canvasRef, resetView, paint]);

  useEffect(() => () => cancelAnimationFrame(frameRef.current), []);

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
  }, [canvasRef, zoomBy]);

  const localPoint = (e: { clientX: number; clientY: number }): CanvasPoint => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const twoPointers = () => [...pointers.current.values()] as [CanvasPoint, CanvasPoint];

  function onPointerDown(e: ReactPointerEvent<HTMLCanvasElement>) {
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = localPoint(e);
    pointers.current.set(e.pointerId, p);
    if (pointers.current.size === 1) gesture.current = { moved: false, startX: p.x, startY: p.y, pinchDist: 0, midX: p.x, midY: p.y };
    else if (pointers.current.size === 2) {
      const [a, b] = twoPointers();
      gesture.current = { moved: true, startX: 0, startY: 0, pinchDist: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
    }
  }

  function onPointerMove(e: ReactPointerEvent<HTMLCanvasElement>) {
    const p = localPoint(e);
    const prev = pointers.current.get(e.pointerId);
    const g = gesture.current;
    const v = viewRef.current;
    if (!prev || !g || !v) {
      if (v) callbacks.current.onHover?.(p, e);
      return;
    }
    pointers.current.set(e.pointerId, p);
    if (pointers.current.size >= 2) {
      const [a, b] = twoPointers();
      const dist = Math.hypot(a.x - b.x, a.y - b.y);
      const midX = (a.x + b.x) / 2;
      const midY = (a.y + b.y) / 2;
      let next = panBy(v, midX - g.midX, midY - g.midY);
      if (g.pinchDist > 0) next = zoomAt(next, midX, midY, dist / g.pinchDist, limitsRef.current);
      Object.assign(g, { pinchDist: dist, midX, midY });
      setView(next);
      callbacks.current.onViewMoved?.();
      return;
    }
    if (!g.moved && Math.hypot(p.x - g.startX, p.y - g.startY) < DRAG_THRESHOLD_PX) return;
    g.moved = true;
    e.currentTarget.style.cursor = 'grabbing';
    setView(panBy(v, p.x - prev.x, p.y - prev.y));
    callbacks.current.onViewMoved?.();
  }

  function onPointerUp(e: ReactPointerEvent<HTMLCanvasElement>) {
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
    callbacks.current.onTap?.(localPoint(e), e);
  }

  function onPointerLeave() {
    if (pointers.current.size) return;
    callbacks.current.onLeave?.();
  }

  return {
    viewRef,
    sizeRef,
    redraw,
    zoomBy,
    resetView,
    reveal,
    pointerHandlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp, onPointerLeave },
  };
}
