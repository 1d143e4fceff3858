import { describe, expect, it } from 'vitest';
import { pickBestAvailable, type PickRow } from './best-available.js';

/** Rows of `n` seats; seat index = running counter; ids "S<section>R<row>-<n>". */
function rows(spec: { section: string; tier: number; price: number; rows: number; seats: number }[]): PickRow[] {
  let index = 0;
  const out: PickRow[] = [];
  for (const s of spec) {
    for (let r = 0; r < s.rows; r++) {
      const row: PickRow = { sectionId: s.section, priceTier: s.tier, priceCents: s.price, rowPosition: r, seats: [] };
      for (let n = 0; n < s.seats; n++) {
        row.seats.push({ id: `${s.section}R${r}-${n + 1}`, index: index++, sectionId: s.section, priceTier: s.tier, priceCents: s.price, rowKey: `${s.section}:${r}`, rowPosition: r, seatPosition: n });
      }
      out.push(row);
    }
  }
  return out;
}
const freeExcept = (taken: number[]) => (i: number) => !taken.includes(i);
const ids = (p: { id: string }[] | null) => p?.map((s) => s.id) ?? null;

describe('pickBestAvailable', () => {
  it('when the whole house is free, then the centre of the front row of the best tier is picked', () => {
    const layout = rows([
      { section: 'B', tier: 2, price: 100, rows: 2, seats: 10 },
      { section: 'A', tier: 1, price: 900, rows: 2, seats: 10 },
    ]);
    expect(ids(pickBestAvailable(layout, () => true, { quantity: 2 }))).toEqual(['AR0-5', 'AR0-6']);
  });

  it('when a block would strand a single seat at the row end, then a block that does not is chosen', () => {
    // Row of 5, seat 1 (index 0) taken: free 2..5. Two seats: [2,3] leaves 4,5 ok; [3,4] strands 2 and 5; [4,5] strands nothing on the right but leaves 2,3 ok.
    const layout = rows([{ section: 'A', tier: 1, price: 1, rows: 1, seats: 5 }]);
    const pick = ids(pickBestAvailable(layout, freeExcept([0]), { quantity: 2 }));
    expect([['AR0-2', 'AR0-3'], ['AR0-4', 'AR0-5']]).toContainEqual(pick);
  });

  it('when only a stranding block exists in the front row but a clean one exists further back, then the clean one wins', () => {
    // Front row of 4 with seat 1 taken: free 2,3,4 → any pair strands one. Row 2 all free:
    // its middle pair would strand seats 1 and 4, so an end pair is the clean choice.
    const layout = rows([{ section: 'A', tier: 1, price: 1, rows: 2, seats: 4 }]);
    const pick = ids(pickBestAvailable(layout, freeExcept([0]), { quantity: 2 }));
    expect([['AR1-1', 'AR1-2'], ['AR1-3', 'AR1-4']]).toContainEqual(pick);
  });

  it('when no row has an adjacent block, then the best section’s best free seats are returned non-adjacent', () => {
    const layout = rows([{ section: 'A', tier: 1, price: 1, rows: 2, seats: 3 }]);
    // Free: R0-1, R0-3, R1-1, R1-3.
    const pick = ids(pickBestAvailable(layout, freeExcept([1, 4]), { quantity: 3 }));
    expect(pick).toHaveLength(3);
    expect(pick!.slice(0, 2).sort()).toEqual(['AR0-1', 'AR0-3']);
  });

  it('when filters exclude everything or too few seats are free, then null', () => {
    const layout = rows([{ section: 'A', tier: 1, price: 500, rows: 1, seats: 4 }]);
    expect(pickBestAvailable(layout, () => true, { quantity: 2, maxPriceCents: 499 })).toBeNull();
    expect(pickBestAvailable(layout, () => true, { quantity: 2, sectionId: 'Z' })).toBeNull();
    expect(pickBestAvailable(layout, freeExcept([0, 1, 2]), { quantity: 2 })).toBeNull();
  });
  it('when spread is 8 and the house is free, then picks vary over disjoint blocks of the best tier, centre first', () => {
    const layout = rows([
      { section: 'B', tier: 2, price: 100, rows: 2, seats: 20 },
      { section: 'A', tier: 1, price: 900, rows: 3, seats: 20 },
    ]);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const picks = Array.from({ length: 400 }, () => ids(pickBestAvailable(layout, () => true, { quantity: 2 }, { spread: 8, random }))!);
    const distinct = new Map<string, number>();
    for (const p of picks) distinct.set(p.join(','), (distinct.get(p.join(',')) ?? 0) + 1);
    // 8 blocks at most, they never overlap one another, all in the best tier and front row first.
    expect(distinct.size).toBe(8);
    const seats = [...distinct.keys()].flatMap((k) => k.split(','));
    expect(new Set(seats).size).toBe(seats.length);
    for (const s of seats) expect(s.startsWith('AR0-')).toBe(true);
    // Weighted toward the best: the centre pair is the most frequent choice.
    const top = [...distinct.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    expect(top).toBe('AR0-10,AR0-11');
  });

  it('when spread is wide but only stranding blocks remain in one row class, then spreading never picks a stranding block while a clean one exists', () => {
    // Row 0 of 5 with seat 1 taken (free 2..5): pairs [2,3] and [4,5] are clean, [3,4] strands.
    const layout = rows([{ section: 'A', tier: 1, price: 1, rows: 1, seats: 5 }]);
    for (let k = 0; k < 50; k++) {
      const pick = ids(pickBestAvailable(layout, freeExcept([0]), { quantity: 2 }, { spread: 16 }));
      expect([['AR0-2', 'AR0-3'], ['AR0-4', 'AR0-5']]).toContainEqual(pick);
    }
  });

  it('when no adjacent block exists and spread is set, then the pick is still q distinct free seats of the best section', () => {
    const layout = rows([{ section: 'A', tier: 1, price: 1, rows: 2, seats: 3 }]);
    for (let k = 0; k < 20; k++) {
      const pick = ids(pickBestAvailable(layout, freeExcept([1, 4]), { quantity: 3 }, { spread: 4 }))!;
      expect(new Set(pick).size).toBe(3);
      for (const s of pick) expect(['AR0-1', 'AR0-3', 'AR1-1', 'AR1-3']).toContain(s);
    }
  });
});
