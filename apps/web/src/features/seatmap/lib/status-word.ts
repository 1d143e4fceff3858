import { STATUS } from './availability';

/** The word a tooltip and a screen reader use for a seat's status (`mine`: in the user's selection). */
export function statusWord(status: number, mine: boolean): string {
  if (mine) return 'selected';
  return status === STATUS.available ? 'available' : status === STATUS.held ? 'held by someone' : status === STATUS.sold ? 'sold' : 'unavailable';
}
