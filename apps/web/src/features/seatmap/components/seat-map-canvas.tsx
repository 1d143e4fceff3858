import { useCallback, useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { cx } from '../../../components/ui';
import { formatMoney } from '../../../lib/format';
import { STATUS } from '../lib/availability';
import { drawSeatMap, type CanvasSize } from '../lib/draw-seatmap';
import { hitTest } from '../lib/hit-test';
import { describeSeat, type SeatLayout } from '../lib/layout';
import { recordDraw, recordFirstDraw, timingNow } from '../lib/seatmap-timing';
import type { SpatialGrid } from '../lib/spatial-grid';
import { statusWord } from '../lib/status-word';
import { worldToScreen, type View } from '../lib/transform';
import { usePanZoom, type CanvasPoint } from '../hooks/use-pan-zoom';
import { useSeatKeyboard } from '../hooks/use-seat-keyboard';
import { SeatTooltip, type SeatTip } from './seat-tooltip';
import { ZoomControls } from './zoom-controls';

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
  /** performance.now() when the data arrived; the first draw is measured from it (lib/seatmap-timing.ts). */
  dataArrivedAt?: number;
  className?: string;
}

/**
 * The seat map on a <canvas>: wires the pure draw function (lib/draw-seatmap.ts), pan/zoom and
 * gestures (usePanZoom), keyboard use (useSeatKeyboard) and the tooltip together, and hit-tests
 * clicks and hovers through the spatial grid. Interaction state lives in refs so panning never
 * re-renders React.
 */
export function SeatMapCanvas({ layout, grid, statuses, revision, selected, pending, currency, onToggle, dataArrivedAt, className }: SeatMapCanvasProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hoverRef = useRef(-1);
  const focusRef = useRef(-1);
  const firstDrawnLayout = useRef<SeatLayout | null>(null);
  // The latest seat state, for frames and key presses between renders (set before the first paint).
  const seatsRef = useRef({ statuses, selected, pending });
  useLayoutEffect(() => {
    seatsRef.current = { statuses, selected, pending };
  });
  const [tip, setTip] = useState<SeatTip | null>(null);

  const paint = useCallback(
    (view: View, size: CanvasSize) => {
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      const start = timingNow();
      drawSeatMap(ctx, {
        layout,
        grid,
        ...seatsRef.current,
        view,
        size,
        hover: hoverRef.current,
        focus: focusRef.current,
        focused: document.activeElement === canvas,
      });
      const end = recordDraw(start);
      if (firstDrawnLayout.current !== layout) {
        firstDrawnLayout.current = layout;
        recordFirstDraw(start, end, layout.order.length, dataArrivedAt);
      }
    },
    [layout, grid, dataArrivedAt],
  );

  const { viewRef, sizeRef, redraw, zoomBy, resetView, reveal, pointerHandlers } = usePanZoom({
    wrapRef,
    canvasRef,
    bounds: layout.bounds,
    seatRadius: layout.seatRadius,
    draw: paint,
    onViewMoved: () => setTip(null),
    onTap: tapSeat,
    onHover: hoverSeat,
    onLeave: leaveMap,
  });

  // New statuses or selection: redraw on the next frame.
  useEffect(() => redraw(), [revision, selected, pending, redraw]);

  function showTipFor(index: number) {
    const v = viewRef.current;
    if (index < 0 || !v) {
      setTip(null);
      return;
    }
    const [x, y] = worldToScreen(v, layout.xs[index]!, layout.ys[index]!);
    setTip({ index, x, y, boxWidth: sizeRef.current.w });
  }

  function tapSeat(p: CanvasPoint, e: ReactPointerEvent<HTMLCanvasElement>) {
    const i = hitTest(layout, grid, viewRef.current!, p.x, p.y);
    if (i < 0) return;
    onToggle(i);
    if (e.pointerType !== 'mouse') showTipFor(i);
  }

  // Plain hover (mouse, no button pressed).
  function hoverSeat(p: CanvasPoint, e: ReactPointerEvent<HTMLCanvasElement>) {
    if (e.pointerType !== 'mouse') return;
    const i = hitTest(layout, grid, viewRef.current!, p.x, p.y);
    if (i !== hoverRef.current) {
      hoverRef.current = i;
      showTipFor(i);
      redraw();
    }
    e.currentTarget.style.cursor = i >= 0 ? 'pointer' : 'grab';
  }

  function leaveMap() {
    hoverRef.current = -1;
    setTip(null);
    redraw();
  }

  function describe(i: number): string {
    const d = describeSeat(layout, i);
    const st = seatsRef.current.statuses[i] ?? STATUS.unknown;
    const mine = seatsRef.current.selected.has(i);
    return `${d.section.name}, row ${d.row}, seat ${d.number}, ${formatMoney(d.section.priceCents, currency)}, ${statusWord(st, mine)}${layout.accessible[i] ? ', wheelchair accessible' : ''}`;
  }

  const keyboard = useSeatKeyboard({
    layout,
    focusRef,
    seatsRef,
    describe,
    onToggle,
    onFocusSeat: (i) => {
      reveal(layout.xs[i]!, layout.ys[i]!, 40);
      showTipFor(i);
      redraw();
    },
    zoomBy,
    resetView,
    onEscape: () => setTip(null),
  });

  return (
    <div
      ref={wrapRef}
      className={cx(
        'relative overflow-hidden rounded-xl bg-white ring-1 ring-slate-200 has-[canvas:focus-visible]:ring-3 has-[canvas:focus-visible]:ring-brand-500',
        className,
      )}
    >
      <canvas
        ref={canvasRef}
        tabIndex={0}
        role="application"
        aria-roledescription="seat map"
        aria-label="Seat map. Arrow keys move between free seats, Enter or Space selects, plus and minus zoom, 0 resets the view. The List view lists every free seat."
        aria-describedby="seatmap-live"
        className="block touch-none select-none focus-visible:outline-none"
        {...pointerHandlers}
        onKeyDown={keyboard.onKeyDown}
        onFocus={keyboard.onFocus}
        onBlur={() => {
          setTip(null);
          redraw();
        }}
      />
      <p id="seatmap-live" className="sr-only" aria-live="polite">
        {keyboard.announcement}
      </p>
      {tip && <SeatTooltip layout={layout} tip={tip} status={statusWord(statuses[tip.index] ?? STATUS.unknown, selected.has(tip.index))} currency={currency} />}
      <ZoomControls onZoomIn={() => zoomBy(1.5)} onZoomOut={() => zoomBy(1 / 1.5)} onReset={resetView} />
    </div>
  );
}
