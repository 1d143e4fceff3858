import type { Venue, VenueInput } from '@ticketing/shared';

/** Distance between neighbouring seats (and rows) in map units. */
export const SEAT_PITCH = 20;

/** One row in the editor: a label and how many seats it has. */
export interface DraftRow {
  key: string;
  label: string;
  seats: number;
}

/** The seats of a row exactly as loaded from the server (kept while the section's geometry is untouched). */
type KeptSeats = VenueInput['sections'][number]['rows'][number]['seats'];

/** One section in the editor. Prices are edited in major units (e.g. euros) and sent as cents. */
export interface DraftSection {
  key: string;
  name: string;
  priceTier: number;
  price: string;
  /** Top-left corner of the section on the map. */
  x: number;
  y: number;
  /** Bend the rows into an arc (front row most curved towards the stage). */
  curved: boolean;
  rows: DraftRow[];
  /** Positions loaded from an existing venue; dropped as soon as rows or geometry change. */
  kept: Map<string, KeptSeats> | null;
}

/** The whole venue form. */
export interface DraftVenue {
  name: string;
  city: string;
  address: string;
  country: string;
  timezone: string;
  sections: DraftSection[];
}

let seq = 0;
/** A stable React key for a new row or section. */
export function newKey(prefix: string): string {
  seq += 1;
  return `${prefix}-${seq}-${Math.random().toString(36).slice(2, 7)}`;
}

/** "A", "B", … "Z", "AA", "AB", … */
export function rowLabel(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** N rows × M seats labelled A, B, C… */
export function blockRows(rows: number, seats: number): DraftRow[] {
  return Array.from({ length: rows }, (_, i) => ({ key: newKey('row'), label: rowLabel(i), seats }));
}

/** A new section placed below the existing ones. */
export function newSection(existing: DraftSection[], tier = 1): DraftSection {
  const bottom = existing.reduce((m, s) => Math.max(m, s.y + (s.rows.length + 1 + (s.curved ? CURVE_DEPTH_ROWS : 0)) * SEAT_PITCH), 0);
  return {
    key: newKey('section'),
    name: `Section ${existing.length + 1}`,
    priceTier: tier,
    price: '50',
    x: 0,
    y: existing.length ? bottom + SEAT_PITCH : 0,
    curved: false,
    rows: blockRows(5, 10),
    kept: null,
  };
}

/** An empty form with one section. */
export function emptyDraft(): DraftVenue {
  return { name: '', city: '', address: '', country: '', timezone: '', sections: [newSection([])] };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** How many rows deep the middle of a curved row sags below its ends. */
export const CURVE_DEPTH_ROWS = 2;

/**
 * Seat positions of a generated section: rows stacked downwards, each row centred on the widest
 * one; when curved, each row is a parabola whose ends rise towards a stage above the section
 * (the middle sags by CURVE_DEPTH_ROWS rows), so coordinates never go above the section's top.
 */
export function generateSeats(s: DraftSection): KeptSeats[] {
  const widest = Math.max(1, ...s.rows.map((r) => r.seats));
  return s.rows.map((row, r) => {
    const n = Math.max(0, Math.floor(row.seats));
    const offset = ((widest - n) / 2) * SEAT_PITCH;
    return Array.from({ length: n }, (_, i) => {
      const t = n > 1 ? (i - (n - 1) / 2) / ((widest - 1) / 2 || 1) : 0;
      const bend = s.curved ? (1 - t * t) * SEAT_PITCH * CURVE_DEPTH_ROWS : 0;
      return { number: String(i + 1), x: round(s.x + offset + i * SEAT_PITCH), y: round(s.y + r * SEAT_PITCH + bend) };
    });
  });
}

/** Parse "45.50" / "45,50" as cents; NaN when it is not a price. */
export function priceToCents(price: string): number {
  const t = price.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return Number.NaN;
  return Math.round(Number(t) * 100);
}

/** The request body for POST/PUT /admin/venues (validated with the shared VenueInput schema by the caller). */
export function toVenueInput(d: DraftVenue): unknown {
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  return {
    name: d.name,
    city: d.city,
    address: opt(d.address),
    country: opt(d.country),
    timezone: opt(d.timezone),
    sections: d.sections.map((s) => {
      const generated = s.kept ? null : generateSeats(s);
      return {
        name: s.name,
        priceTier: s.priceTier,
        priceCents: priceToCents(s.price),
        rows: s.rows.map((r, i) => ({ label: r.label, seats: s.kept?.get(r.key) ?? generated![i]! })),
      };
    }),
  };
}

/** The editor model of a loaded venue; its seat positions are kept until a section is reshaped. */
export function fromVenue(v: Venue): DraftVenue {
  return {
    name: v.name,
    city: v.city,
    address: v.address ?? '',
    country: v.country ?? '',
    timezone: v.timezone ?? '',
    sections: v.sections.map((s) => {
      const kept = new Map<string, KeptSeats>();
      const rows = s.rows.map((r) => {
        const key = newKey('row');
        kept.set(key, r.seats);
        return { key, label: r.label, seats: r.seats.length };
      });
      let minX = Infinity;
      let minY = Infinity;
      for (const r of s.rows) for (const seat of r.seats) {
        minX = Math.min(minX, seat.x);
        minY = Math.min(minY, seat.y);
      }
      return {
        key: newKey('section'),
        name: s.name,
        priceTier: s.priceTier,
        price: (s.priceCents / 100).toFixed(2).replace(/\.00$/, ''),
        x: Number.isFinite(minX) ? round(minX) : 0,
        y: Number.isFinite(minY) ? round(minY) : 0,
        curved: false,
        rows,
        kept,
      };
    }),
  };
}

/** A seat to draw in the preview. */
export interface PreviewSeat {
  x: number;
  y: number;
  tier: number;
}

/** Every seat of the draft with its tier, for the live preview. */
export function previewSeats(d: DraftVenue): PreviewSeat[] {
  const out: PreviewSeat[] = [];
  for (const s of d.sections) {
    const rows = s.kept ? s.rows.map((r) => s.kept!.get(r.key) ?? []) : generateSeats(s);
    for (const row of rows) for (const seat of row) out.push({ x: seat.x, y: seat.y, tier: s.priceTier });
  }
  return out;
}

/** Colour of a price tier in the preview (cycles after 8). */
export const TIER_COLOURS = ['#4f46e5', '#0891b2', '#059669', '#d97706', '#db2777', '#7c3aed', '#65a30d', '#dc2626'];
export function tierColour(tier: number): string {
  return TIER_COLOURS[(Math.max(1, tier) - 1) % TIER_COLOURS.length]!;
}
