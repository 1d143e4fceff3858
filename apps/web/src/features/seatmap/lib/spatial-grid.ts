import type { Bounds } from './layout';

/**
 * A uniform grid over seat positions: each cell lists the seats whose centre falls in it,
 * so a point query looks at a handful of seats instead of all 20,000.
 */
export class SpatialGrid {
  readonly cellSize: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly originX: number;
  private readonly originY: number;
  /** CSR layout: seats of cell c are items[starts[c] .. starts[c+1]). */
  private readonly starts: Uint32Array;
  private readonly items: Int32Array;

  constructor(xs: Float32Array, ys: Float32Array, order: Int32Array, bounds: Bounds, cellSize: number) {
    this.cellSize = Math.max(cellSize, 1e-6);
    this.originX = bounds.minX;
    this.originY = bounds.minY;
    this.cols = Math.max(1, Math.ceil((bounds.maxX - bounds.minX) / this.cellSize) + 1);
    this.rows = Math.max(1, Math.ceil((bounds.maxY - bounds.minY) / this.cellSize) + 1);
    const counts = new Uint32Array(this.cols * this.rows + 1);
    const cellOf = new Int32Array(order.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const c = this.cellIndex(xs[i]!, ys[i]!);
      cellOf[k] = c;
      counts[c + 1]!++;
    }
    for (let c = 1; c < counts.length; c++) counts[c]! += counts[c - 1]!;
    this.starts = counts;
    this.items = new Int32Array(order.length);
    const fill = counts.slice(0, -1);
    for (let k = 0; k < order.length; k++) this.items[fill[cellOf[k]!]!++] = order[k]!;
  }

  private cellCol(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.originX) / this.cellSize)));
  }
  private cellRow(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.originY) / this.cellSize)));
  }
  private cellIndex(x: number, y: number): number {
    return this.cellRow(y) * this.cols + this.cellCol(x);
  }

  /** Call `visit` for every seat whose centre lies in the rectangle (cells overlap, so filter if exact). */
  forEachInRect(minX: number, minY: number, maxX: number, maxY: number, visit: (index: number) => void): void {
    const c0 = this.cellCol(minX);
    const c1 = this.cellCol(maxX);
    const r0 = this.cellRow(minY);
    const r1 = this.cellRow(maxY);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.cols + c;
        for (let k = this.starts[cell]!; k < this.starts[cell + 1]!; k++) visit(this.items[k]!);
      }
    }
  }

  /** The seat nearest to (x, y) within `radius` (world units), or -1. */
  nearest(xs: Float32Array, ys: Float32Array, x: number, y: number, radius: number): number {
    let best = -1;
    let bestD2 = radius * radius;
    this.forEachInRect(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = xs[i]! - x;
      const dy = ys[i]! - y;
      const d2 = dx * dx + dy * dy;
      if (d2 <= bestD2) {
        bestD2 = d2;
        best = i;
      }
    });
    return best;
  }
}
