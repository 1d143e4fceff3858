import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STATUS } from '../lib/availability';
import { buildLayout } from '../lib/layout';
import { SpatialGrid } from '../lib/spatial-grid';
import { gridSeatMap } from '../lib/test-fixtures';
import { fitView, worldToScreen } from '../lib/transform';
import { SeatMapCanvas } from './seat-map-canvas';

const W = 400;
const H = 200;

/** jsdom has no PointerEvent: a MouseEvent (for clientX/Y) with the pointer fields. */
class FakePointerEvent extends MouseEvent {
  pointerId: number;
  pointerType: string;
  constructor(type: string, init: PointerEventInit = {}) {
    super(type, init);
    this.pointerId = init.pointerId ?? 0;
    this.pointerType = init.pointerType ?? 'mouse';
  }
}

// jsdom has no layout and no 2D canvas: give every box 400×200 at (0, 0) and draw nothing
// (the drawing itself is tested in lib/draw-seatmap.test.ts).
beforeEach(() => {
  if (typeof window.PointerEvent === 'undefined') vi.stubGlobal('PointerEvent', FakePointerEvent);
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({
    x: 0,
    y: 0,
    left: 0,
    top: 0,
    right: W,
    bottom: H,
    width: W,
    height: H,
    toJSON: () => ({}),
  });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  HTMLElement.prototype.setPointerCapture = () => {};
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function renderMap(statuses?: (s: Uint8Array) => void) {
  const layout = buildLayout(gridSeatMap(2, 3, 4));
  const grid = new SpatialGrid(layout.xs, layout.ys, layout.order, layout.bounds, layout.seatRadius * 5);
  const st = new Uint8Array(layout.size).fill(STATUS.available);
  statuses?.(st);
  const onToggle = vi.fn();
  render(<SeatMapCanvas layout={layout} grid={grid} statuses={st} revision={0} selected={new Set()} currency="EUR" onToggle={onToggle} />);
  const canvas = screen.getByRole('application');
  const live = () => document.getElementById('seatmap-live')!.textContent;
  return { layout, canvas, onToggle, live };
}

describe('<SeatMapCanvas> keyboard', () => {
  it('when the map gets the focus, then the first free seat is announced, arrows walk free seats, and Enter toggles the focused one', () => {
    const { canvas, onToggle, live } = renderMap((st) => (st[0] = STATUS.sold));

    fireEvent.focus(canvas);
    expect(live()).toBe('A, row 1, seat 2, €50, available');
    expect(screen.getByRole('presentation').textContent).toContain('A · Row 1 · Seat 2');

    fireEvent.keyDown(canvas, { key: 'ArrowRight' });
    expect(live()).toBe('A, row 1, seat 3, €50, available');
    fireEvent.keyDown(canvas, { key: 'Enter' });
    expect(onToggle).toHaveBeenCalledWith(2);

    fireEvent.keyDown(canvas, { key: 'Escape' });
    expect(screen.queryByRole('presentation')).toBeNull();
  });

  it('when no free seat lies that way, then the live region says so', () => {
    const { canvas, live } = renderMap();
    fireEvent.focus(canvas);
    fireEvent.keyDown(canvas, { key: 'ArrowUp' });
    expect(live()).toBe('No more free seats above.');
  });
});

describe('<SeatMapCanvas> pointer', () => {
  it('when a seat is clicked without dragging, then it is toggled; when the press drags, then nothing is', () => {
    const { layout, canvas, onToggle } = renderMap();
    const [sx, sy] = worldToScreen(fitView(layout.bounds, W, H, 24), layout.xs[13]!, layout.ys[13]!);

    fireEvent.pointerDown(canvas, { pointerId: 1, pointerType: 'mouse', clientX: sx, clientY: sy });
    fireEvent.pointerUp(canvas, { pointerId: 1, pointerType: 'mouse', clientX: sx, clientY: sy });
    expect(onToggle).toHaveBeenCalledExactlyOnceWith(13);

    fireEvent.pointerDown(canvas, { pointerId: 2, pointerType: 'mouse', clientX: sx, clientY: sy });
    fireEvent.pointerMove(canvas, { pointerId: 2, pointerType: 'mouse', clientX: sx + 30, clientY: sy });
    fireEvent.pointerUp(canvas, { pointerId: 2, pointerType: 'mouse', clientX: sx + 30, clientY: sy });
    expect(onToggle).toHaveBeenCalledTimes(1);
  });
});
