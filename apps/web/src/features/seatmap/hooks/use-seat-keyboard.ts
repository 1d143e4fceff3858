import { useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import { STATUS } from '../lib/availability';
import { nextSeat, type Direction } from '../lib/keyboard-nav';
import type { SeatLayout } from '../lib/layout';

/** What the keyboard hook needs from the seat map. */
export interface SeatKeyboardOptions {
  layout: SeatLayout;
  /** The seat with the keyboard focus, or -1 (shared with the drawing, which rings it). */
  focusRef: RefObject<number>;
  /** The latest statuses and selection (read when a key is pressed). */
  seatsRef: RefObject<{ statuses: Uint8Array; selected: ReadonlySet<number> }>;
  /** The sentence a screen reader announces for a seat. */
  describe: (index: number) => string;
  /** Enter/Space on the focused seat. */
  onToggle: (index: number) => void;
  /** A seat got the keyboard focus: bring it into view, show its tooltip, redraw. */
  onFocusSeat: (index: number) => void;
  zoomBy: (factor: number) => void;
  resetView: () => void;
  /** Escape: hide the tooltip. */
  onEscape: () => void;
}

const ARROWS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/**
 * Keyboard use of the seat map: arrows walk the seats one can pick, Enter/Space toggles the
 * focused seat, +/- zoom, 0 resets the view, Escape hides the tooltip; focusing the map starts
 * on the first available seat. Gives back the live-region announcement and the handlers.
 */
export function useSeatKeyboard({ layout, focusRef, seatsRef, describe, onToggle, onFocusSeat, zoomBy, resetView, onEscape }: SeatKeyboardOptions) {
  const [announcement, setAnnouncement] = useState('');

  function focusSeat(i: number) {
    focusRef.current = i;
    onFocusSeat(i);
    setAnnouncement(describe(i));
  }

  function onKeyDown(e: ReactKeyboardEvent<HTMLCanvasElement>) {
    const dir = ARROWS[e.key];
    if (dir) {
      e.preventDefault();
      const from = focusRef.current >= 0 ? focusRef.current : (layout.order[0] ?? -1);
      if (from < 0) return;
      // Arrows walk the seats one can pick (available or already picked); the list view shows the rest.
      const { statuses: st, selected: sel } = seatsRef.current;
      const to = focusRef.current < 0 ? from : nextSeat(layout, from, dir, (i) => st[i] === STATUS.available || sel.has(i));
      if (to >= 0) focusSeat(to);
      else setAnnouncement(`No more free seats ${dir === 'left' || dir === 'right' ? `to the ${dir}` : dir === 'up' ? 'above' : 'below'}.`);
      return;
    }
    if ((e.key === 'Enter' || e.key === ' ') && focusRef.current >= 0) {
      e.preventDefault();
      onToggle(focusRef.current);
      // Re-announce after the parent updated the selection.
      const i = focusRef.current;
      setTimeout(() => setAnnouncement(describe(i)), 50);
      return;
    }
    if (e.key === '+' || e.key === '=') {
      e.preventDefault();
      zoomBy(1.4);
    } else if (e.key === '-' || e.key === '_') {
      e.preventDefault();
      zoomBy(1 / 1.4);
    } else if (e.key === '0') {
      e.preventDefault();
      resetView();
    } else if (e.key === 'Escape') {
      onEscape();
    }
  }

  function onFocus() {
    if (focusRef.current >= 0) return focusSeat(focusRef.current);
    // Start on the first available seat so Enter does something useful right away.
    const st = seatsRef.current.statuses;
    let first = -1;
    for (let k = 0; k < layout.order.length; k++) {
      const i = layout.order[k]!;
      if (st[i] === STATUS.available) {
        first = i;
        break;
      }
    }
    if (first < 0) first = layout.order[0] ?? -1;
    if (first >= 0) focusSeat(first);
  }

  return { announcement, onKeyDown, onFocus };
}
