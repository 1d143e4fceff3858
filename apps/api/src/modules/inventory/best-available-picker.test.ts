import { describe, expect, it } from 'vitest';
import { BestAvailablePicker, type PickerPorts } from './best-available-picker.js';
import type { PickRow } from './best-available.js';
import type { TakenHold } from './holds.service.js';
import type { Layout } from './seatmap-cache.js';

/** One row of `n` seats, ids "s0".."s<n-1>", index = position. */
function layoutOf(n: number): Layout {
  const row: PickRow = { sectionId: 'A', priceTier: 1, priceCents: 100, rowPosition: 0, seats: [] };
  for (let i = 0; i < n; i++) row.seats.push({ id: `s${i}`, index: i, sectionId: 'A', priceTier: 1, priceCents: 100, rowKey: 'A:0', rowPosition: 0, seatPosition: i });
  return { eventId: 'e', layoutVersion: 1, etag: '"x"', body: Buffer.from('{}'), rows: [row], sections: [], seatCount: n };
}

/** Ports over an in-memory snapshot that never learns about holds (a stale copy), recording each take. */
function ports(layout: Layout, taken: string[][]): PickerPorts {
  const statuses = Buffer.from('a'.repeat(layout.seatCount));
  return {
    layout: async () => layout,
    snapshot: async () => ({ kind: 'body', version: 1, body: Buffer.from('{}'), statuses, counts: { available: layout.seatCount, held: 0, sold: 0 } }) as never,
    ownHeld: async () => [],
    take: async (seatIds): Promise<TakenHold> => {
      taken.push(seatIds);
      const held = seatIds.map((id) => Number(id.slice(1)));
      return { hold: { id: 'h', eventId: 'e', seats: [], totalCents: 0, currency: 'EUR', expiresAt: new Date(0).toISOString() }, held, freed: [] };
    },
  };
}

describe('BestAvailablePicker', () => {
  it('when seats were held here within 2 s, then a stale snapshot does not lead the next pick into them; once the clock passes 2 s it may', async () => {
    let now = 1_000_000;
    const picker = new BestAvailablePicker(() => now);
    const layout = layoutOf(6);
    const taken: string[][] = [];
    const p = ports(layout, taken);

    await picker.pickAndHold('e', 'u1', { quantity: 2 }, p);
    await picker.pickAndHold('e', 'u2', { quantity: 2 }, p);
    now += 2_001;
    await picker.pickAndHold('e', 'u3', { quantity: 2 }, p);

    // The best pair first; the second pick avoids it although the snapshot still says available.
    expect(taken[0]).toEqual(['s2', 's3']);
    expect(taken[1]!.some((id) => taken[0]!.includes(id))).toBe(false);
    // Past the window the recent-hold note is gone: the (stale) best pair is picked again.
    expect(taken[2]).toEqual(['s2', 's3']);
  });
});
