/**
 * Seat-map timings as User Timing entries with stable names, so `scripts/measure-seatmap.mjs`
 * reads them with `performance.getEntriesByName` and nothing is put on `window`:
 *
 * - `seatmap:layout`          measure: buildLayout + spatial grid; `detail.seats`
 * - `seatmap:draw`            measure: one draw call (the first one after a load is the first draw)
 * - `seatmap:first-draw`      mark: end of the first draw of a layout
 * - `seatmap:data-to-first-draw` measure: route loader data in hand → end of the first draw
 *
 * Why entries and not a global: docs/adr/0035-seat-map-timings-as-user-timing.md.
 */
export const SEATMAP_TIMING = {
  layout: 'seatmap:layout',
  draw: 'seatmap:draw',
  firstDraw: 'seatmap:first-draw',
  dataToFirstDraw: 'seatmap:data-to-first-draw',
} as const;

// Keep the timeline bounded on a long session: drop the draw measures every so many frames.
const DRAW_ENTRIES_KEPT = 500;
let drawEntries = 0;

/** performance.now(), or 0 where there is no Performance API. */
export function timingNow(): number {
  return typeof performance === 'undefined' ? 0 : performance.now();
}

function canMeasure(): boolean {
  return typeof performance !== 'undefined' && typeof performance.measure === 'function';
}

/** Run `build` and record its duration as the `seatmap:layout` measure. */
export function measureLayout<T>(seats: (result: T) => number, build: () => T): T {
  const start = timingNow();
  const result = build();
  if (canMeasure()) performance.measure(SEATMAP_TIMING.layout, { start, end: timingNow(), detail: { seats: seats(result) } });
  return result;
}

/** Record one draw that started at `start` (a timingNow() value) and ends now. */
export function recordDraw(start: number): number {
  const end = timingNow();
  if (!canMeasure()) return end;
  if (++drawEntries > DRAW_ENTRIES_KEPT) {
    performance.clearMeasures(SEATMAP_TIMING.draw);
    drawEntries = 1;
  }
  performance.measure(SEATMAP_TIMING.draw, { start, end });
  return end;
}

/**
 * Record the first draw of a layout of `seats` seats, drawn from `start` to `end`: from the
 * route's data arriving (`dataArrivedAt`, else the draw's own start) to the end of that draw.
 */
export function recordFirstDraw(start: number, end: number, seats: number, dataArrivedAt: number | undefined): void {
  if (!canMeasure()) return;
  performance.mark(SEATMAP_TIMING.firstDraw, { startTime: end, detail: { seats } });
  performance.measure(SEATMAP_TIMING.dataToFirstDraw, { start: dataArrivedAt ?? start, end, detail: { seats } });
}
