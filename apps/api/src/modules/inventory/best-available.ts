/** A seat as best-available sees it: layout facts plus the current status. */
export interface PickSeat {
  id: string;
  index: number;
  sectionId: string;
  priceTier: number;
  priceCents: number;
  rowKey: string;
  rowPosition: number;
  seatPosition: number;
}

/** A row of one section, seats in seat order. */
export interface PickRow {
  sectionId: string;
  priceTier: number;
  priceCents: number;
  rowPosition: number;
  seats: PickSeat[];
}

export interface PickRequest {
  quantity: number;
  sectionId?: string;
  maxPriceCents?: number;
}

/**
 * Choose `quantity` seats among the available ones (`isFree(index)`).
 * Preference, in order: lowest price tier (then lowest price); a block of adjacent seats in one
 * row; a block that leaves no single free seat stranded next to it (between it and a taken seat
 * or the row end); the front-most row; the block closest to the row centre. When no row of any
 * eligible section has such a block, fall back to the best seats of the best section with
 * enough free seats, non-adjacent. Returns null when nothing fits.
 */
export function pickBestAvailable(rows: readonly PickRow[], isFree: (index: number) => boolean, req: PickRequest): PickSeat[] | null {
  const q = req.quantity;
  const eligible = rows.filter((r) => (!req.sectionId || r.sectionId === req.sectionId) && (req.maxPriceCents === undefined || r.priceCents <= req.maxPriceCents));
  if (!eligible.length) return null;

  type Cand = { seats: PickSeat[]; key: number[] };
  let best: Cand | null = null;
  const better = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
    return false;
  };

  for (const row of eligible) {
    const n = row.seats.length;
    if (n < q) continue;
    const centre = (n - 1) / 2;
    // Walk the runs of free seats; every window of q inside a run is a candidate.
    let i = 0;
    while (i < n) {
      if (!isFree(row.seats[i]!.index)) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < n && isFree(row.seats[j + 1]!.index)) j++;
      // run [i, j]
      for (let s = i; s + q - 1 <= j; s++) {
        const e = s + q - 1;
        const strands = (s - i === 1 ? 1 : 0) + (j - e === 1 ? 1 : 0);
        const dist = Math.abs((s + e) / 2 - centre);
        const key = [row.priceTier, row.priceCents, strands, row.rowPosition, dist];
        if (!best || better(key, best.key)) best = { seats: row.seats.slice(s, e + 1), key };
      }
      i = j + 1;
    }
  }
  if (best) return best.seats;

  // No adjacent block anywhere: the best section that still has q free seats, best seats first.
  const bySection = new Map<string, { tier: number; price: number; free: { seat: PickSeat; key: number[] }[] }>();
  for (const row of eligible) {
    const centre = (row.seats.length - 1) / 2;
    let sec = bySection.get(row.sectionId);
    if (!sec) bySection.set(row.sectionId, (sec = { tier: row.priceTier, price: row.priceCents, free: [] }));
    row.seats.forEach((seat, k) => {
      if (isFree(seat.index)) sec!.free.push({ seat, key: [row.rowPosition, Math.abs(k - centre)] });
    });
  }
  const sections = [...bySection.values()].filter((s) => s.free.length >= q).sort((a, b) => a.tier - b.tier || a.price - b.price);
  const sec = sections[0];
  if (!sec) return null;
  sec.free.sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]!);
  return sec.free.slice(0, q).map((f) => f.seat);
}
