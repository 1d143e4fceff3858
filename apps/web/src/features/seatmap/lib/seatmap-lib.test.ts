import { describe, expect, it } from 'vitest';
import { buildLayout, describeSeat } from './layout';
import { SpatialGrid } from './spatial-grid';
import { hitTest } from './hit-test';
import { clampPan, ensureVisible, fitView, panBy, screenToWorld, worldToScreen, zoomAt, type View } from './transform';
import { nextSeat } from './keyboard-nav';
import { applyChanges, decodeStatuses, STATUS } from './availability';
import { gridSeatMap } from './test-fixtures';

function setup(sections = 2, rows = 3, perRow = 4) {
  const layout = buildLayout(gridSeatMap(sections, rows, perRow));
  const grid = new SpatialGrid(layout.xs, layout.ys, layout.order, layout.bounds, layout.seatRadius * 5);
  return { layout, grid };
}

describe('buildLayout', () => {
  it('when given a seat map, then seats are addressed by their availability index with their section and row', () => {
    const { layout } = setup();
    expect(layout.size).toBe(24);
    expect(layout.order.length).toBe(24);
    // Seat index 13 = section B (second), row 1, seat 2.
    const d = describeSeat(layout, 13);
    expect([d.section.name, d.row, d.number]).toEqual(['B', '1', '2']);
    expect(layout.idToIndex.get(layout.ids[13]!)).toBe(13);
  });

  it('when seats are 10 units apart, then the drawn radius is 40 % of the spacing and tiers are coloured by price', () => {
    const { layout } = setup();
    expect(layout.seatRadius).toBeCloseTo(4);
    expect(layout.sections.map((s) => s.colorIndex)).toEqual([0, 1]);
  });
});

describe('transforms', () => {
  const view: View = { scale: 2, tx: 100, ty: 50 };

  it('when converting world → screen → world, then the point comes back unchanged', () => {
    const [sx, sy] = worldToScreen(view, 12, 34);
    expect([sx, sy]).toEqual([124, 118]);
    expect(screenToWorld(view, sx, sy)).toEqual([12, 34]);
  });

  it('when zooming about a screen point, then the world point under it stays under it', () => {
    const before = screenToWorld(view, 300, 200);
    const zoomed = zoomAt(view, 300, 200, 2.5, { min: 0.1, max: 40 });
    expect(zoomed.scale).toBe(5);
    const after = screenToWorld(zoomed, 300, 200);
    expect(after[0]).toBeCloseTo(before[0]);
    expect(after[1]).toBeCloseTo(before[1]);
  });

  it('when zooming past the limits, then the scale is clamped', () => {
    expect(zoomAt(view, 0, 0, 1000, { min: 0.5, max: 8 }).scale).toBe(8);
    expect(zoomAt(view, 0, 0, 0.0001, { min: 0.5, max: 8 }).scale).toBe(0.5);
  });

  it('when fitting bounds into a viewport, then the content is centred and fully visible', () => {
    const v = fitView({ minX: 0, minY: 0, maxX: 200, maxY: 100 }, 420, 420, 10);
    expect(v.scale).toBe(2);
    expect(worldToScreen(v, 0, 0)).toEqual([10, 110]);
    expect(worldToScreen(v, 200, 100)).toEqual([410, 310]);
  });

  it('when panning, then only the translation moves', () => {
    expect(panBy(view, 5, -7)).toEqual({ scale: 2, tx: 105, ty: 43 });
  });

  it('when the content is dragged out of the viewport, then clampPan pulls a margin of it back', () => {
    const far = clampPan({ scale: 1, tx: -1000, ty: 0 }, { minX: 0, minY: 0, maxX: 100, maxY: 100 }, 400, 400, 48);
    expect(100 + far.tx).toBe(48);
  });

  it('when a focused seat is off screen, then ensureVisible pans it inside the margin', () => {
    const v = ensureVisible({ scale: 1, tx: 0, ty: 0 }, 500, 10, 400, 300, 32);
    expect(worldToScreen(v, 500, 10)[0]).toBe(368);
  });
});

describe('hitTest', () => {
  it('when the point is on a seat centre, then that seat is hit', () => {
    const { layout, grid } = setup();
    const view: View = { scale: 4, tx: 0, ty: 0 };
    // Seat index 5 = section A, row 2, seat 2 at world (20, 20) → screen (80, 80).
    expect(hitTest(layout, grid, view, 80, 80)).toBe(5);
  });

  it('when the point is near (within the radius of) a seat, then the nearest seat is hit', () => {
    const { layout, grid } = setup();
    const view: View = { scale: 4, tx: 0, ty: 0 };
    expect(hitTest(layout, grid, view, 80 + 9, 80 - 9)).toBe(5);
  });

  it('when the point is in the aisle between sections, then nothing is hit', () => {
    const { layout, grid } = setup();
    const view: View = { scale: 4, tx: 0, ty: 0 };
    // Section A ends at x=40, B starts at x=90: x=65 is empty floor.
    expect(hitTest(layout, grid, view, 65 * 4, 20 * 4)).toBe(-1);
  });

  it('when the map is panned and zoomed, then hit-testing follows the transform', () => {
    const { layout, grid } = setup();
    const base: View = { scale: 1, tx: 0, ty: 0 };
    const v = panBy(zoomAt(base, 0, 0, 3, { min: 0.1, max: 50 }), 40, 25);
    const [sx, sy] = worldToScreen(v, layout.xs[14]!, layout.ys[14]!);
    expect(hitTest(layout, grid, v, sx, sy)).toBe(14);
  });

  it('when zoomed far out, then a finger-sized target still hits the nearest seat', () => {
    const { layout, grid } = setup();
    const v: View = { scale: 0.5, tx: 0, ty: 0 };
    // Screen (7, 6) = world (14, 12): 4.5 units from seat 0 at (10, 10), outside its drawn
    // radius (4) but inside the widened finger-sized target.
    expect(hitTest(layout, grid, v, 7, 6)).toBe(0);
  });

  it('when 20,000 seats are indexed, then a point query is fast and exact', () => {
    const { layout, grid } = setup(10, 40, 50);
    expect(layout.size).toBe(20_000);
    const v: View = { scale: 2, tx: 0, ty: 0 };
    const target = 12_345;
    const [sx, sy] = worldToScreen(v, layout.xs[target]!, layout.ys[target]!);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) hitTest(layout, grid, v, sx, sy);
    const perQuery = (performance.now() - t0) / 1000;
    expect(hitTest(layout, grid, v, sx, sy)).toBe(target);
    expect(perQuery).toBeLessThan(0.5);
  });
});

describe('nextSeat (arrow keys)', () => {
  it('when moving right, then focus walks along the row, and stops at the last seat of the block to jump to the next block', () => {
    const { layout } = setup();
    expect(nextSeat(layout, 0, 'right')).toBe(1);
    // Seat 3 is the end of row 1 in A; the next seat to the right is B row 1 seat 1 (index 12).
    expect(nextSeat(layout, 3, 'right')).toBe(12);
  });

  it('when moving down or up, then focus goes to the same seat in the next or previous row', () => {
    const { layout } = setup();
    expect(nextSeat(layout, 1, 'down')).toBe(5);
    expect(nextSeat(layout, 5, 'up')).toBe(1);
  });

  it('when there is no seat that way, then -1', () => {
    const { layout } = setup();
    expect(nextSeat(layout, 0, 'left')).toBe(-1);
    expect(nextSeat(layout, 0, 'up')).toBe(-1);
  });

  it('when only available seats are eligible, then taken ones are skipped', () => {
    const { layout } = setup();
    expect(nextSeat(layout, 0, 'right', (i) => i !== 1)).toBe(2);
  });
});

describe('applyChanges (live availability)', () => {
  it('when the next version arrives, then its changes are applied and reported', () => {
    const s = decodeStatuses('aaaa', 4);
    const r = applyChanges(s, 7, {
      version: 8,
      changes: [
        [1, 'h'],
        [2, 's'],
        [3, 'a'],
      ],
    });
    expect(r).toEqual({
      kind: 'applied',
      version: 8,
      changed: [
        [1, STATUS.held],
        [2, STATUS.sold],
      ],
    });
    expect(Array.from(s)).toEqual([0, 1, 2, 0]);
  });

  it('when a version is skipped, then nothing is applied and a refetch is asked for', () => {
    const s = decodeStatuses('aaaa', 4);
    expect(applyChanges(s, 7, { version: 9, changes: [[1, 'h']] })).toEqual({ kind: 'gap' });
    expect(s[1]).toBe(STATUS.available);
  });

  it('when an old version arrives, then it is ignored', () => {
    const s = decodeStatuses('ahaa', 4);
    expect(applyChanges(s, 7, { version: 7, changes: [[1, 'a']] })).toEqual({ kind: 'stale' });
    expect(s[1]).toBe(STATUS.held);
  });
});
