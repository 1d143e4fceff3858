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

export interface PickOptions {
  /**
   * How many of the best disjoint candidate blocks to choose among (default 1: deterministic,
   * always the single best block). Under a rush every concurrent request sees the same
   * snapshot, so a deterministic picker sends them all to the same block; with `spread` K the
   * pick is random among the K best *equally good* blocks (same tier, price and stranding),
   * weighted toward the best (weight 0.85^rank), and the K blocks never overlap.
   */
  spread?: number;
  /** Random source in [0, 1) (tests pass a seeded one). */
  random?: () => number;
}

const RANK_WEIGHT = 0.85;

/** Index in [0, n) chosen with weight RANK_WEIGHT^rank. */
function weightedRank(n: number, random: () => number): number {
  if (n <= 1) return 0;
  const total = (1 - RANK_WEIGHT ** n) / (1 - RANK_WEIGHT);
  let x = random() * total;
  for (let r = 0; r < n; r++) {
    x -= RANK_WEIGHT ** r;
    if (x < 0) return r;
  }
  return n - 1;
}

/**
 * Choose `quantity` seats among the available ones (`isFree(index)`).
 * Preference, in order: lowest price tier (then lowest price); a block of adjacent seats in one
 * row; a block that leaves no single free seat stranded next to it (between it and a taken seat
 * or the row end); the front-most row; the block closest to the row centre. When no row of any
 * eligible section has such a block, fall back to the best seats of the best section with
 * enough free seats, non-adjacent. Returns null when nothing fits.
 *
 * With `opts.spread` > 1 the result is random among the best `spread` disjoint blocks that are
 * equally good on tier, price and stranding (see PickOptions), so concurrent requests spread.
 */
export function pickBestAvailable(rows: readonly PickRow[], isFree: (index: number) => boolean, req: PickRequest, opts: PickOptions = {}): PickSeat[] | null {
  const q = req.quantity;
  const spread = Math.max(1, Math.floor(opts.spread ?? 1));
  const random = opts.random ?? Math.random;
  const eligible = rows.filter((r) => (!req.sectionId || r.sectionId === req.sectionId) && (req.maxPriceCents === undefined || r.priceCents <= req.maxPriceCents));
  if (!eligible.length) return null;

  /** Calls fn(row, start, end, strands) for every window of q free adjacent seats. */
  const windows = (row: PickRow, fn: (s: number, e: number, strands: number) => void) => {
    const n = row.seats.length;
    if (n < q) return;
    let i = 0;
    while (i < n) {
      if (!isFree(row.seats[i]!.index)) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < n && isFree(row.seats[j + 1]!.index)) j++;
      // run [i, j]: every window of q inside it is a candidate
      for (let s = i; s + q - 1 <= j; s++) {
        const e = s + q - 1;
        fn(s, e, (s - i === 1 ? 1 : 0) + (j - e === 1 ? 1 : 0));
      }
      i = j + 1;
    }
  };

  // Pass 1: the best (tier, price, strands) any adjacent block reaches — allocation-free.
  let bTier = Infinity;
  let bPrice = Infinity;
  let bStrands = Infinity;
  for (const row of eligible) {
    if (row.priceTier > bTier || (row.priceTier === bTier && row.priceCents > bPrice)) continue;
    windows(row, (_s, _e, strands) => {
      if (row.priceTier < bTier || (row.priceTier === bTier && row.priceCents < bPrice) || (row.priceTier === bTier && row.priceCents === bPrice && strands < bStrands)) {
        bTier = row.priceTier;
        bPrice = row.priceCents;
        bStrands = strands;
      }
    });
  }

  if (bTier !== Infinity) {
    // Pass 2: blocks of that class, front rows first, then closest to the row centre; keep the
    // first `spread` that do not overlap one another.
    const group = eligible.filter((r) => r.priceTier === bTier && r.priceCents === bPrice).sort((a, b) => a.rowPosition - b.rowPosition);
    const chosen: { row: PickRow; s: number; e: number }[] = [];
    for (let g = 0; g < group.length && chosen.length < spread; ) {
      const pos = group[g]!.rowPosition;
      const cands: { row: PickRow; s: number; e: number; dist: number }[] = [];
      for (; g < group.length && group[g]!.rowPosition === pos; g++) {
        const row = group[g]!;
        const centre = (row.seats.length - 1) / 2;
        windows(row, (s, e, strands) => {
          if (strands === bStrands) cands.push({ row, s, e, dist: Math.abs((s + e) / 2 - centre) });
        });
      }
      cands.sort((a, b) => a.dist - b.dist);
      for (const c of cands) {
        if (chosen.length >= spread) break;
        if (chosen.some((o) => o.row === c.row && c.s <= o.e && o.s <= c.e)) continue;
        chosen.push(c);
      }
    }
    const pick = chosen[weightedRank(chosen.length, random)]!;
    return pick.row.seats.slice(pick.s, pick.e + 1);
  }

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
  if (spread === 1) return sec.free.slice(0, q).map((f) => f.seat);
  // Spread: q seats drawn (weighted toward the best) from the best q + spread - 1.
  const pool = sec.free.slice(0, q + spread - 1);
  const out: PickSeat[] = [];
  while (out.length < q) out.push(pool.splice(weightedRank(pool.length, random), 1)[0]!.seat);
  return out;
}
