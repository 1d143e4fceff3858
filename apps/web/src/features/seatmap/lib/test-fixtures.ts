import type { SeatMap } from '@ticketing/shared';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * A synthetic seat map: `sections` blocks side by side, each `rows` × `perRow` seats spaced
 * 10 units apart, blocks 40 units apart. Seat indices run section by section, row by row.
 */
export function gridSeatMap(sections = 2, rows = 3, perRow = 4, eventId = uuid(999_999)): SeatMap {
  let index = 0;
  const blockWidth = perRow * 10 + 40;
  return {
    eventId,
    width: sections * blockWidth,
    height: rows * 10 + 20,
    sections: Array.from({ length: sections }, (_, s) => ({
      id: uuid(900_000 + s),
      name: String.fromCharCode(65 + s),
      priceTier: s + 1,
      priceCents: 5000 - s * 1000,
      rows: Array.from({ length: rows }, (_, r) => ({
        label: String(r + 1),
        seats: Array.from({ length: perRow }, (_, k) => {
          const i = index++;
          return { id: uuid(i + 1), index: i, number: String(k + 1), x: 10 + s * blockWidth + k * 10, y: 10 + r * 10 };
        }),
      })),
    })),
  };
}
