import { describe, expect, it } from 'vitest';
import { STATUS } from './availability';
import { drawSeatMap, type SeatMapScene } from './draw-seatmap';
import { buildLayout } from './layout';
import { FOCUS_RING, SELECTED_FILL, SOLD_CROSS, SOLD_FILL, TIER_COLORS } from './palette';
import { SpatialGrid } from './spatial-grid';
import { gridSeatMap } from './test-fixtures';
import { fitView, type View } from './transform';

type Op = [string, ...unknown[]];

/** A Path2D stand-in that records what was added to it. */
class FakePath {
  ops: Op[] = [];
  moveTo(...a: number[]) {
    this.ops.push(['moveTo', ...a]);
  }
  lineTo(...a: number[]) {
    this.ops.push(['lineTo', ...a]);
  }
  arc(...a: number[]) {
    this.ops.push(['arc', ...a]);
  }
  rect(...a: number[]) {
    this.ops.push(['rect', ...a]);
  }
  /** Seats (arcs or squares) in this path. */
  get shapes() {
    return this.ops.filter((o) => o[0] === 'arc' || o[0] === 'rect');
  }
}

/** A 2D context stand-in that records every call and every style it was given. */
function recordingContext(width: number, height: number) {
  const calls: Op[] = [];
  const state: Record<string, unknown> = {};
  const target = {
    canvas: { width, height },
    measureText: (text: string) => ({ width: text.length * 7 }),
  };
  const ctx = new Proxy(target, {
    get(t, prop: string) {
      if (prop in t) return t[prop as keyof typeof t];
      if (prop in state) return state[prop];
      return (...args: unknown[]) => {
        calls.push([prop, ...args, { ...state }]);
      };
    },
    set(_t, prop: string, value) {
      state[prop] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  /** Paths filled (or stroked) with the style in force at the time. */
  const painted = (method: 'fill' | 'stroke', style: 'fillStyle' | 'strokeStyle') =>
    calls.filter((c) => c[0] === method && c[1] instanceof FakePath).map((c) => ({ style: (c[2] as Record<string, unknown>)[style], path: c[1] as FakePath }));
  return {
    ctx,
    calls,
    fills: () => painted('fill', 'fillStyle'),
    strokes: () => painted('stroke', 'strokeStyle'),
    /** Ring strokes drawn on the context itself (not a path), with their colour. */
    ringColors: () => calls.filter((c) => c[0] === 'stroke' && c.length === 2).map((c) => (c[1] as Record<string, unknown>).strokeStyle),
    texts: () => calls.filter((c) => c[0] === 'fillText').map((c) => c[1]),
  };
}

const SIZE = { w: 400, h: 200, dpr: 2 };

function scene(overrides: Partial<SeatMapScene> = {}, sections = 2, rows = 3, perRow = 4): SeatMapScene {
  const layout = buildLayout(gridSeatMap(sections, rows, perRow));
  const grid = new SpatialGrid(layout.xs, layout.ys, layout.order, layout.bounds, layout.seatRadius * 5);
  return {
    layout,
    grid,
    statuses: new Uint8Array(layout.size).fill(STATUS.available),
    selected: new Set(),
    view: fitView(layout.bounds, SIZE.w, SIZE.h, 24),
    size: SIZE,
    hover: -1,
    focus: -1,
    focused: false,
    ...overrides,
  };
}

function draw(s: SeatMapScene) {
  const rec = recordingContext(SIZE.w * SIZE.dpr, SIZE.h * SIZE.dpr);
  drawSeatMap(rec.ctx, s, () => new FakePath() as unknown as Path2D);
  return rec;
}

describe('drawSeatMap', () => {
  it('when every seat is available, then the canvas is cleared and each section fills its seats in its tier colour', () => {
    const s = scene();
    const rec = draw(s);

    expect(rec.calls[0]).toEqual(['setTransform', 1, 0, 0, 1, 0, 0, expect.anything()]);
    expect(rec.calls[1]).toEqual(['clearRect', 0, 0, 800, 400, expect.anything()]);
    const byColor = new Map(rec.fills().map((f) => [f.style, f.path.shapes.length]));
    expect(byColor.get(TIER_COLORS[0])).toBe(12);
    expect(byColor.get(TIER_COLORS[1])).toBe(12);
    expect(byColor.get(SOLD_FILL)).toBe(0);
    expect(byColor.get(SELECTED_FILL)).toBe(0);
    // World → device pixels: scale and offset times the pixel ratio.
    expect(rec.calls).toContainEqual(['setTransform', 2 * s.view.scale, 0, 0, 2 * s.view.scale, 2 * s.view.tx, 2 * s.view.ty, expect.anything()]);
  });

  it('when seats are held, sold and selected, then each goes into its own path, sold seats are crossed and selected ones get a check', () => {
    const base = scene();
    const statuses = new Uint8Array(base.layout.size).fill(STATUS.available);
    statuses[1] = STATUS.held;
    statuses[2] = STATUS.sold;
    const rec = draw({ ...base, statuses, selected: new Set([5]) });

    const fills = rec.fills();
    expect(fills.find((f) => f.style === TIER_COLORS[0])!.path.shapes).toHaveLength(12 - 3);
    expect(fills.find((f) => f.style === '#f1f5f9')!.path.shapes).toHaveLength(1);
    expect(fills.find((f) => f.style === SOLD_FILL)!.path.shapes).toHaveLength(1);
    expect(fills.find((f) => f.style === SELECTED_FILL)!.path.shapes).toHaveLength(1);
    // Seats are ~28 px wide here, so the sold seat carries a cross (two strokes of two points).
    expect(
      rec
        .strokes()
        .find((s) => s.style === SOLD_CROSS)!
        .path.ops.filter((o) => o[0] === 'lineTo'),
    ).toHaveLength(2);
    // The check on the selected seat: one polyline stroked in white.
    expect(rec.ringColors()).toEqual(['#fff']);
  });

  it('when a hold request is in flight, then the selected seats get a dashed ring', () => {
    const rec = draw(scene({ selected: new Set([0, 13]), pending: true }));
    expect(rec.calls.filter((c) => c[0] === 'setLineDash').map((c) => c[1])).toEqual([[3, 3], [], [3, 3], []]);
  });

  it('when the view shows only part of the map, then seats outside it are not drawn', () => {
    const s = scene();
    // Zoom on section A's left edge: section B lies right of the viewport.
    const view: View = { scale: 10, tx: 0, ty: 0 };
    const rec = draw({ ...s, view });
    const byColor = new Map(rec.fills().map((f) => [f.style, f.path.shapes.length]));
    expect(byColor.get(TIER_COLORS[0])).toBeGreaterThan(0);
    expect(byColor.get(TIER_COLORS[1])).toBe(0);
  });

  it('when zoomed so far out that a seat is under 1.6 px, then seats are drawn as squares', () => {
    const s = scene({}, 2, 3, 4);
    const rec = draw({ ...s, view: { scale: 0.2, tx: 10, ty: 10 } });
    const shapes = rec.fills().flatMap((f) => f.path.shapes);
    expect(shapes.length).toBe(24);
    expect(shapes.every((o) => o[0] === 'rect')).toBe(true);
  });

  it('when a seat has the keyboard focus and another the hover, then the focus ring shows only while the canvas is focused', () => {
    const unfocused = draw(scene({ hover: 3, focus: 4, focused: false }));
    expect(unfocused.ringColors()).toEqual(['#0f172a']);
    const focused = draw(scene({ hover: 3, focus: 4, focused: true }));
    expect(focused.ringColors()).toEqual(['#0f172a', FOCUS_RING]);
    // The hover ring is not drawn over the focus ring of the same seat.
    const same = draw(scene({ hover: 4, focus: 4, focused: true }));
    expect(same.ringColors()).toEqual([FOCUS_RING]);
  });

  it('when sections are wide enough on screen, then their names are drawn, and a label that would overlap another is skipped', () => {
    expect(draw(scene()).texts()).toEqual(['A', 'B']);
    // Three sections 136 px apart, each just wide enough (51 px) for a label, with names 181 px wide:
    // the middle one would collide with the first, the third clears it.
    const s = scene({}, 3, 3, 4);
    s.layout.sections.forEach((sec, k) => (sec.name = `A rather long section ${k}`));
    const rec = draw({ ...s, view: { scale: 1.7, tx: 10, ty: 30 } });
    expect(rec.texts()).toEqual(['A rather long section 0', 'A rather long section 2']);
  });
});
