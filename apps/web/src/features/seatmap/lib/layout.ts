import type { SeatMap } from '@ticketing/shared';

/** Axis-aligned rectangle in world (layout) units. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface LayoutSection {
  id: string;
  name: string;
  priceTier: number;
  priceCents: number;
  /** Index into the tier palette, ordered by price (0 = most expensive). */
  colorIndex: number;
  bounds: Bounds;
  rows: { label: string; seats: number[] }[];
}

/**
 * The seat map flattened into typed arrays addressed by the seat's availability `index`,
 * so drawing and hit-testing 20,000 seats touches no objects.
 */
export interface SeatLayout {
  /** Length of the arrays: highest seat index + 1. */
  size: number;
  /** Seat indices that exist, in section/row/seat order. */
  order: Int32Array;
  present: Uint8Array;
  xs: Float32Array;
  ys: Float32Array;
  /** Section number (into `sections`) per seat. */
  sectionOf: Uint16Array;
  /** Row number within its section per seat. */
  rowOf: Uint16Array;
  accessible: Uint8Array;
  ids: string[];
  numbers: string[];
  idToIndex: Map<string, number>;
  sections: LayoutSection[];
  bounds: Bounds;
  /** Radius to draw a seat with, in world units (from the typical seat spacing). */
  seatRadius: number;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Flatten a SeatMap response into a SeatLayout. */
export function buildLayout(map: SeatMap): SeatLayout {
  let size = 0;
  let count = 0;
  for (const sec of map.sections)
    for (const row of sec.rows)
      for (const seat of row.seats) {
        size = Math.max(size, seat.index + 1);
        count++;
      }
  const xs = new Float32Array(size);
  const ys = new Float32Array(size);
  const present = new Uint8Array(size);
  const sectionOf = new Uint16Array(size);
  const rowOf = new Uint16Array(size);
  const accessible = new Uint8Array(size);
  const order = new Int32Array(count);
  const ids: string[] = new Array<string>(size).fill('');
  const numbers: string[] = new Array<string>(size).fill('');
  const idToIndex = new Map<string, number>();
  const bounds: Bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const gaps: number[] = [];

  // Colour tiers by price so "more expensive" always reads the same way across events.
  const prices = [...new Set(map.sections.map((s) => s.priceCents))].sort((a, b) => b - a);

  let k = 0;
  const sections: LayoutSection[] = map.sections.map((sec, si) => {
    const sb: Bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    const rows = sec.rows.map((row, ri) => {
      const seats: number[] = [];
      let prevX: number | null = null;
      let prevY = 0;
      for (const seat of row.seats) {
        const i = seat.index;
        xs[i] = seat.x;
        ys[i] = seat.y;
        present[i] = 1;
        sectionOf[i] = si;
        rowOf[i] = ri;
        accessible[i] = seat.accessible ? 1 : 0;
        ids[i] = seat.id;
        numbers[i] = seat.number;
        idToIndex.set(seat.id, i);
        order[k++] = i;
        seats.push(i);
        sb.minX = Math.min(sb.minX, seat.x);
        sb.minY = Math.min(sb.minY, seat.y);
        sb.maxX = Math.max(sb.maxX, seat.x);
        sb.maxY = Math.max(sb.maxY, seat.y);
        if (prevX !== null && gaps.length < 5000) {
          const d = Math.hypot(seat.x - prevX, seat.y - prevY);
          if (d > 0) gaps.push(d);
        }
        prevX = seat.x;
        prevY = seat.y;
      }
      return { label: row.label, seats };
    });
    bounds.minX = Math.min(bounds.minX, sb.minX);
    bounds.minY = Math.min(bounds.minY, sb.minY);
    bounds.maxX = Math.max(bounds.maxX, sb.maxX);
    bounds.maxY = Math.max(bounds.maxY, sb.maxY);
    return { id: sec.id, name: sec.name, priceTier: sec.priceTier, priceCents: sec.priceCents, colorIndex: prices.indexOf(sec.priceCents), bounds: sb, rows };
  });

  if (count === 0) Object.assign(bounds, { minX: 0, minY: 0, maxX: map.width || 1, maxY: map.height || 1 });
  const spacing = median(gaps) || Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY, 1) / 50;
  const seatRadius = spacing * 0.4;
  // Leave room for the seat circles at the edges.
  bounds.minX -= seatRadius;
  bounds.minY -= seatRadius;
  bounds.maxX += seatRadius;
  bounds.maxY += seatRadius;

  return { size, order, present, xs, ys, sectionOf, rowOf, accessible, ids, numbers, idToIndex, sections, bounds, seatRadius };
}

/** Human description of one seat: "Section A, row 3, seat 12". */
export function describeSeat(layout: SeatLayout, index: number): { section: LayoutSection; row: string; number: string } {
  const section = layout.sections[layout.sectionOf[index]!]!;
  return { section, row: section.rows[layout.rowOf[index]!]!.label, number: layout.numbers[index]! };
}
