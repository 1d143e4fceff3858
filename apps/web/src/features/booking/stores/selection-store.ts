import { createStore, useStore } from 'zustand';
import { MAX_SEATS_PER_HOLD, type Hold } from '@ticketing/shared';

/** A seat the user picked, with what the panel shows about it. */
export interface PickedSeat {
  id: string;
  /** Availability index (position in the map's status string). */
  index: number;
  section: string;
  row: string;
  number: string;
  priceCents: number;
}

export type Phase = 'selecting' | 'holding' | 'held';

export interface Notice {
  kind: 'info' | 'warning' | 'error';
  message: string;
}

export type ToggleResult = 'added' | 'removed' | 'limit' | 'locked';

export interface SelectionState {
  eventId: string | null;
  picked: PickedSeat[];
  phase: Phase;
  /** The server's answer once the hold exists. */
  hold: Hold | null;
  /** Seat ids in the hold request in flight: ours, even if the stream says "held" first. */
  pendingIds: string[];
  /** The last thing to tell the user about the selection. */
  notice: Notice | null;

  /** Start (or keep) the selection for one event; a different event clears it. */
  forEvent: (eventId: string) => void;
  /** Pick or unpick a seat (at most MAX_SEATS_PER_HOLD; locked while a hold is pending or held). */
  toggle: (seat: PickedSeat) => ToggleResult;
  clear: () => void;
  /** Optimistic: the request to hold the current picks is on its way. Returns their ids. */
  beginHold: () => string[];
  /** The server confirmed the hold; `indexOf` maps a seat id to its map index. */
  holdSucceeded: (hold: Hold, indexOf: (seatId: string) => number) => void;
  /** 409: these seats were gone; drop them and say so. The rest stay picked. */
  holdRejected: (unavailableSeatIds: string[]) => PickedSeat[];
  /** Any other failure: back to selecting with the picks intact. */
  holdFailed: (message: string) => void;
  /** Someone else took these seats (stream / snapshot): drop any of ours not held by us. */
  seatsTaken: (seatIds: string[]) => PickedSeat[];
  /** A hold found on the server (page reload): show it as held. */
  restoreHold: (hold: Hold, indexOf: (seatId: string) => number) => void;
  /** The hold's countdown reached zero. */
  holdExpired: () => void;
  /** The user released the hold; the seats stay picked so they can re-hold or change them. */
  holdReleased: () => void;
  dismissNotice: () => void;
}

function seatLabel(s: PickedSeat): string {
  return `${s.section} row ${s.row} seat ${s.number}`;
}

function listLabel(seats: PickedSeat[]): string {
  return seats.length === 1 ? seatLabel(seats[0]!) : `${seats.length} of your seats (${seats.map(seatLabel).join(', ')})`;
}

function fromHold(hold: Hold, indexOf: (id: string) => number): PickedSeat[] {
  return hold.seats.map((s) => ({ id: s.id, index: indexOf(s.id), section: s.section, row: s.row, number: s.number, priceCents: s.priceCents }));
}

/** The selection and optimistic hold state of the seat page (UI state; the server stays the authority). */
export function createSelectionStore() {
  return createStore<SelectionState>()((set, get) => ({
    eventId: null,
    picked: [],
    phase: 'selecting',
    hold: null,
    pendingIds: [],
    notice: null,

    forEvent: (eventId) => {
      if (get().eventId !== eventId) set({ eventId, picked: [], phase: 'selecting', hold: null, pendingIds: [], notice: null });
    },

    toggle: (seat) => {
      const s = get();
      if (s.phase !== 'selecting') return 'locked';
      if (s.picked.some((p) => p.id === seat.id)) {
        set({ picked: s.picked.filter((p) => p.id !== seat.id), notice: null });
        return 'removed';
      }
      if (s.picked.length >= MAX_SEATS_PER_HOLD) {
        set({ notice: { kind: 'warning', message: `You can hold up to ${MAX_SEATS_PER_HOLD} seats at a time.` } });
        return 'limit';
      }
      set({ picked: [...s.picked, seat], notice: null });
      return 'added';
    },

    clear: () => {
      if (get().phase === 'selecting') set({ picked: [], notice: null });
    },

    beginHold: () => {
      const ids = get().picked.map((p) => p.id);
      set({ phase: 'holding', pendingIds: ids, notice: null });
      return ids;
    },

    holdSucceeded: (hold, indexOf) => set({ phase: 'held', hold, picked: fromHold(hold, indexOf), pendingIds: [], notice: null }),

    holdRejected: (unavailableSeatIds) => {
      const gone = new Set(unavailableSeatIds);
      const s = get();
      const lost = s.picked.filter((p) => gone.has(p.id));
      set({
        phase: 'selecting',
        pendingIds: [],
        picked: s.picked.filter((p) => !gone.has(p.id)),
        notice: {
          kind: 'warning',
          message: lost.length
            ? `Sorry — ${listLabel(lost)} ${lost.length === 1 ? 'was' : 'were'} just taken. Nothing was held; pick another seat and try again.`
            : 'Some seats were just taken. Nothing was held; please pick again.',
        },
      });
      return lost;
    },

    holdFailed: (message) => set({ phase: 'selecting', pendingIds: [], notice: { kind: 'error', message } }),

    seatsTaken: (seatIds) => {
      const s = get();
      if (s.phase === 'held') return []; // held seats are ours; the stream reports our own hold
      const pending = new Set(s.pendingIds);
      const taken = new Set(seatIds.filter((id) => !pending.has(id)));
      const lost = s.picked.filter((p) => taken.has(p.id));
      if (lost.length === 0) return [];
      set({
        picked: s.picked.filter((p) => !taken.has(p.id)),
        notice: { kind: 'warning', message: `${listLabel(lost)} ${lost.length === 1 ? 'was' : 'were'} just taken by someone else and removed from your selection.` },
      });
      return lost;
    },

    restoreHold: (hold, indexOf) => {
      if (get().eventId !== hold.eventId) return;
      set({ phase: 'held', hold, picked: fromHold(hold, indexOf), pendingIds: [] });
    },

    holdExpired: () => {
      if (get().phase !== 'held') return;
      set({ phase: 'selecting', hold: null, picked: [], pendingIds: [], notice: { kind: 'warning', message: 'Your hold expired and the seats were released. Pick seats again to continue.' } });
    },

    holdReleased: () => set({ phase: 'selecting', hold: null, pendingIds: [], notice: { kind: 'info', message: 'Hold released. Your seats are still selected.' } }),

    dismissNotice: () => set({ notice: null }),
  }));
}

export type SelectionStore = ReturnType<typeof createSelectionStore>;

/** The app-wide selection store (one seat page is open at a time). */
export const selectionStore = createSelectionStore();

/** Select from the app-wide selection store. */
export function useSelection<T>(selector: (s: SelectionState) => T): T {
  return useStore(selectionStore, selector);
}
