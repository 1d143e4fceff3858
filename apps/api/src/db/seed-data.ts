import type { EventCategory, VenueInput } from '@ticketing/shared';

/** Row labels A..Z, then AA, AB, … */
export function rowLabel(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : rowLabel(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26));
}

type Section = VenueInput['sections'][number];
const round = (n: number) => Math.round(n * 10) / 10;

/** A rectangular block of `rows` × `seats`, top-left at (x0, y0). */
function block(name: string, priceTier: number, priceCents: number, o: { rows: number; seats: number; x0: number; y0: number; dx: number; dy: number; accessibleRow?: number }): Section {
  return {
    name,
    priceTier,
    priceCents,
    rows: Array.from({ length: o.rows }, (_, r) => ({
      label: rowLabel(r),
      seats: Array.from({ length: o.seats }, (_, s) => ({
        number: String(s + 1),
        x: round(o.x0 + s * o.dx),
        y: round(o.y0 + r * o.dy),
        ...(o.accessibleRow === r && (s < 2 || s >= o.seats - 2) ? { accessible: true } : {}),
      })),
    })),
  };
}

/**
 * A curved section: rows are arcs around (cx, cy) from angle `a0` to `a1` (degrees, 0 = right,
 * 90 = down), the first row at radius `r0` and each next one `dr` further out.
 */
function arc(name: string, priceTier: number, priceCents: number, o: { rows: number; seats: number; cx: number; cy: number; r0: number; dr: number; a0: number; a1: number; accessibleFirstRow?: boolean }): Section {
  return {
    name,
    priceTier,
    priceCents,
    rows: Array.from({ length: o.rows }, (_, r) => ({
      label: rowLabel(r),
      seats: Array.from({ length: o.seats }, (_, s) => {
        const a = ((o.a0 + ((o.a1 - o.a0) * (s + 0.5)) / o.seats) * Math.PI) / 180;
        const radius = o.r0 + r * o.dr;
        return {
          number: String(s + 1),
          x: round(o.cx + radius * Math.cos(a)),
          y: round(o.cy + radius * Math.sin(a)),
          ...(o.accessibleFirstRow && r === 0 && (s === 0 || s === o.seats - 1) ? { accessible: true } : {}),
        };
      }),
    })),
  };
}

const id = (kind: number, n: number) => `5eed000${kind}-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const SEED_VENUE_IDS = { stadium: id(1, 1), hall: id(1, 2), theatre: id(1, 3), club: id(1, 4), expo: id(1, 5) } as const;

/**
 * Northgate Stadium: exactly 20,000 seats. Two floor blocks (tier 1), a lower ring of eight
 * curved sections (tiers 2-3: the four facing the stage cost more) and an upper ring (tier 4).
 * The stage is at the top; the ring leaves a 90° gap behind it.
 */
function stadium(): VenueInput {
  const sections: Section[] = [
    block('Floor A', 1, 15_000, { rows: 20, seats: 50, x0: 720, y0: 860, dx: 5.4, dy: 14 }),
    block('Floor B', 1, 15_000, { rows: 20, seats: 50, x0: 1010, y0: 860, dx: 5.4, dy: 14 }),
  ];
  // Ring from -45° (upper right) clockwise to 225° (upper left): 270° in 8 slices.
  const slice = 270 / 8;
  for (let k = 0; k < 8; k++) {
    const a0 = -45 + k * slice + 1;
    const a1 = -45 + (k + 1) * slice - 1;
    const facing = k >= 2 && k <= 5;
    sections.push(arc(`Lower ${101 + k}`, facing ? 2 : 3, facing ? 9_500 : 7_500, { rows: 25, seats: 45, cx: 1000, cy: 1000, r0: 430, dr: 11, a0, a1, accessibleFirstRow: true }));
  }
  for (let k = 0; k < 8; k++) {
    const a0 = -45 + k * slice + 1;
    const a1 = -45 + (k + 1) * slice - 1;
    sections.push(arc(`Upper ${201 + k}`, 4, 4_500, { rows: 25, seats: 45, cx: 1000, cy: 1000, r0: 720, dr: 11, a0, a1 }));
  }
  return { name: 'Northgate Stadium', city: 'Berlin', address: 'Stadionallee 1', country: 'DE', timezone: 'Europe/Berlin', sections };
}

function hall(): VenueInput {
  return {
    name: 'Harbour Concert Hall',
    city: 'Hamburg',
    address: 'Kaiserkai 12',
    country: 'DE',
    timezone: 'Europe/Berlin',
    sections: [
      arc('Stalls', 1, 8_900, { rows: 20, seats: 30, cx: 500, cy: 80, r0: 120, dr: 14, a0: 40, a1: 140, accessibleFirstRow: true }),
      arc('Circle', 2, 6_500, { rows: 10, seats: 36, cx: 500, cy: 80, r0: 420, dr: 14, a0: 45, a1: 135 }),
      arc('Balcony', 3, 3_900, { rows: 8, seats: 40, cx: 500, cy: 80, r0: 580, dr: 14, a0: 50, a1: 130 }),
    ],
  };
}

function theatre(): VenueInput {
  return {
    name: 'Teatro Lumen',
    city: 'Lisbon',
    address: 'Rua do Carmo 40',
    country: 'PT',
    timezone: 'Europe/Lisbon',
    sections: [
      block('Plateia', 1, 4_500, { rows: 15, seats: 20, x0: 100, y0: 100, dx: 20, dy: 22, accessibleRow: 14 }),
      block('Balcão', 2, 2_500, { rows: 5, seats: 24, x0: 60, y0: 460, dx: 20, dy: 22 }),
    ],
  };
}

function club(): VenueInput {
  return {
    name: 'The Vault Comedy Club',
    city: 'Dublin',
    address: '3 Crane Lane',
    country: 'IE',
    timezone: 'Europe/Dublin',
    sections: [block('Floor', 1, 2_000, { rows: 10, seats: 12, x0: 40, y0: 60, dx: 24, dy: 26, accessibleRow: 0 })],
  };
}

function expo(): VenueInput {
  return {
    name: 'Expo Forum',
    city: 'Barcelona',
    address: 'Avinguda Diagonal 200',
    country: 'ES',
    timezone: 'Europe/Madrid',
    sections: [
      block('Hall Left', 2, 19_900, { rows: 20, seats: 15, x0: 40, y0: 120, dx: 16, dy: 18 }),
      block('Hall Center', 1, 29_900, { rows: 20, seats: 20, x0: 300, y0: 120, dx: 16, dy: 18, accessibleRow: 19 }),
      block('Hall Right', 2, 19_900, { rows: 20, seats: 15, x0: 640, y0: 120, dx: 16, dy: 18 }),
    ],
  };
}

/** The seed venues by fixed id. */
export function seedVenues(): { id: string; input: VenueInput }[] {
  return [
    { id: SEED_VENUE_IDS.stadium, input: stadium() },
    { id: SEED_VENUE_IDS.hall, input: hall() },
    { id: SEED_VENUE_IDS.theatre, input: theatre() },
    { id: SEED_VENUE_IDS.club, input: club() },
    { id: SEED_VENUE_IDS.expo, input: expo() },
  ];
}

export interface SeedEvent {
  id: string;
  venueId: string;
  name: string;
  category: EventCategory;
  performer?: string;
  description?: string;
  /** Days from the first seeding to the start; negative for past events. */
  startsInDays: number;
  /** Days from the first seeding until the sale opens; negative when already on sale. */
  onSaleInDays: number;
  highDemand?: boolean;
  cancelled?: boolean;
  admissionRatePerMinute?: number;
  maxConcurrentShoppers?: number;
}

export const SEED_EVENT_IDS = {
  highDemand: id(2, 1),
  cancelled: id(2, 11),
} as const;

/** The seed events: on sale now, upcoming, completed and one cancelled, across categories and cities. */
export function seedEvents(): SeedEvent[] {
  const v = SEED_VENUE_IDS;
  return [
    {
      id: SEED_EVENT_IDS.highDemand,
      venueId: v.stadium,
      name: 'Aurora Live: The Northern Lights Tour',
      category: 'concert',
      performer: 'Aurora Skye',
      description: 'The most requested pop tour of the year, one night only. Fans wait in the virtual waiting room.',
      startsInDays: 30,
      onSaleInDays: -0.05,
      highDemand: true,
      admissionRatePerMinute: 300,
      maxConcurrentShoppers: 500,
    },
    { id: id(2, 2), venueId: v.hall, name: 'City Symphony Orchestra: Beethoven 9', category: 'concert', performer: 'City Symphony Orchestra', description: 'Beethoven’s Ninth with the Hamburg choirs.', startsInDays: 14, onSaleInDays: -20 },
    { id: id(2, 3), venueId: v.hall, name: 'Late Night Jazz Sessions', category: 'concert', performer: 'The Blue Harbour Quintet', startsInDays: 45, onSaleInDays: 7 },
    { id: id(2, 4), venueId: v.theatre, name: 'Hamlet', category: 'theatre', performer: 'Companhia Lumen', description: 'Shakespeare’s tragedy in a new Portuguese staging.', startsInDays: 10, onSaleInDays: -30 },
    { id: id(2, 5), venueId: v.theatre, name: 'The Nutcracker for Families', category: 'family', performer: 'Lisbon Youth Ballet', startsInDays: 60, onSaleInDays: 5 },
    { id: id(2, 6), venueId: v.club, name: 'Stand-up Saturday', category: 'comedy', performer: 'Niamh Kelly', startsInDays: 3, onSaleInDays: -14 },
    { id: id(2, 7), venueId: v.club, name: 'Late Laughs Open Mic', category: 'comedy', startsInDays: -10, onSaleInDays: -40 },
    { id: id(2, 8), venueId: v.stadium, name: 'Berlin Derby', category: 'sports', performer: 'FC Spree vs. Union Nord', startsInDays: 21, onSaleInDays: -7 },
    { id: id(2, 9), venueId: v.expo, name: 'TechForward 2027', category: 'conference', description: 'Two days of talks on platforms, data and the web.', startsInDays: 90, onSaleInDays: 10 },
    { id: id(2, 10), venueId: v.expo, name: 'Summer Sound Festival', category: 'festival', performer: 'Various artists', startsInDays: 120, onSaleInDays: -2 },
    {
      id: SEED_EVENT_IDS.cancelled,
      venueId: v.theatre,
      name: 'Symphony under the Stars',
      category: 'concert',
      performer: 'Lisbon Chamber Players',
      startsInDays: 20,
      onSaleInDays: -10,
      cancelled: true,
    },
    { id: id(2, 12), venueId: v.hall, name: 'Chamber Music Matinee', category: 'concert', performer: 'Elbe String Quartet', startsInDays: -30, onSaleInDays: -60 },
    { id: id(2, 13), venueId: v.club, name: 'The Great Kids Magic Show', category: 'family', performer: 'Marvellous Max', startsInDays: 5, onSaleInDays: -10 },
    { id: id(2, 14), venueId: v.expo, name: 'Data Summit Europe', category: 'conference', startsInDays: -5, onSaleInDays: -90 },
  ];
}

/** The seed accounts (bcrypt-hashed on insert). */
export const SEED_USERS = [
  { email: 'admin@example.com', password: 'admin-password-1', name: 'Admin', role: 'admin' as const },
  { email: 'fan@example.com', password: 'fan-password-1', name: 'Demo Fan', role: 'user' as const },
];
