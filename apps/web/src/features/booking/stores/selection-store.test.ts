import { describe, expect, it } from 'vitest';
import type { Hold } from '@ticketing/shared';
import { createSelectionStore, type PickedSeat } from './selection-store';

const EVENT = '11111111-1111-4111-8111-111111111111';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const seat = (n: number): PickedSeat => ({ id: id(n), index: n, section: 'A', row: '1', number: String(n), priceCents: 4500 });
const indexOf = (seatId: string) => Number(seatId.slice(-12));

function holdOf(seats: PickedSeat[]): Hold {
  return {
    id: '22222222-2222-4222-8222-222222222222',
    eventId: EVENT,
    seats: seats.map((s) => ({ id: s.id, section: s.section, row: s.row, number: s.number, priceCents: s.priceCents })),
    totalCents: seats.reduce((t, s) => t + s.priceCents, 0),
    currency: 'EUR',
    expiresAt: '2026-11-21T12:10:00.000Z',
  };
}

function storeWith(...ns: number[]) {
  const store = createSelectionStore();
  store.getState().forEvent(EVENT);
  for (const n of ns) store.getState().toggle(seat(n));
  return store;
}

describe('selection store', () => {
  it('when a picked seat is toggled again, then it is removed', () => {
    const store = storeWith(1, 2);
    expect(store.getState().toggle(seat(1))).toBe('removed');
    expect(store.getState().picked.map((p) => p.index)).toEqual([2]);
  });

  it('when six seats are picked, then a seventh is refused with a notice and the six stay', () => {
    const store = storeWith(1, 2, 3, 4, 5, 6);
    expect(store.getState().toggle(seat(7))).toBe('limit');
    expect(store.getState().picked).toHaveLength(6);
    expect(store.getState().notice?.message).toMatch(/up to 6 seats/);
  });

  it('when a hold starts, then the state is optimistic "holding", the picks are locked and the pending ids recorded', () => {
    const store = storeWith(1, 2);
    const ids = store.getState().beginHold();
    expect(ids).toEqual([id(1), id(2)]);
    expect(store.getState().phase).toBe('holding');
    expect(store.getState().toggle(seat(3))).toBe('locked');
    expect(store.getState().picked).toHaveLength(2);
  });

  it('when the server confirms the hold, then the picks become the held seats', () => {
    const store = storeWith(1, 2);
    store.getState().beginHold();
    store.getState().holdSucceeded(holdOf([seat(1), seat(2)]), indexOf);
    expect(store.getState().phase).toBe('held');
    expect(store.getState().hold?.totalCents).toBe(9000);
    expect(store.getState().pendingIds).toEqual([]);
  });

  it('when the server answers 409 with unavailableSeatIds, then those seats are removed, the others kept, and the user told', () => {
    const store = storeWith(1, 2, 3);
    store.getState().beginHold();
    const lost = store.getState().holdRejected([id(2)]);
    expect(lost.map((p) => p.index)).toEqual([2]);
    expect(store.getState().phase).toBe('selecting');
    expect(store.getState().picked.map((p) => p.index)).toEqual([1, 3]);
    expect(store.getState().notice).toMatchObject({ kind: 'warning' });
    expect(store.getState().notice?.message).toMatch(/A row 1 seat 2 was just taken/);
  });

  it('when another user takes a picked seat, then it leaves the selection with a visible notice', () => {
    const store = storeWith(1, 2);
    const lost = store.getState().seatsTaken([id(2), id(9)]);
    expect(lost.map((p) => p.index)).toEqual([2]);
    expect(store.getState().picked.map((p) => p.index)).toEqual([1]);
    expect(store.getState().notice?.message).toMatch(/taken by someone else/);
  });

  it('when the stream reports seats of our own in-flight hold as held, then the selection is untouched', () => {
    const store = storeWith(1, 2);
    store.getState().beginHold();
    expect(store.getState().seatsTaken([id(1), id(2)])).toEqual([]);
    expect(store.getState().picked).toHaveLength(2);
    store.getState().holdSucceeded(holdOf([seat(1), seat(2)]), indexOf);
    expect(store.getState().seatsTaken([id(1)])).toEqual([]);
    expect(store.getState().picked).toHaveLength(2);
  });

  it('when a held hold expires, then the selection is cleared with a message', () => {
    const store = storeWith(1);
    store.getState().beginHold();
    store.getState().holdSucceeded(holdOf([seat(1)]), indexOf);
    store.getState().holdExpired();
    expect(store.getState()).toMatchObject({ phase: 'selecting', hold: null, picked: [] });
    expect(store.getState().notice?.message).toMatch(/expired/);
  });

  it('when the hold request fails otherwise, then the picks are kept and the error shown', () => {
    const store = storeWith(1, 2);
    store.getState().beginHold();
    store.getState().holdFailed('Payments are down');
    expect(store.getState().phase).toBe('selecting');
    expect(store.getState().picked).toHaveLength(2);
    expect(store.getState().notice).toEqual({ kind: 'error', message: 'Payments are down' });
  });

  it('when another event is opened, then the selection starts empty', () => {
    const store = storeWith(1, 2);
    store.getState().forEvent('33333333-3333-4333-8333-333333333333');
    expect(store.getState().picked).toEqual([]);
  });
});
