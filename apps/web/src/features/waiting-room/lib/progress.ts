/**
 * The position the visitor had when they joined, remembered per event in sessionStorage so the
 * progress bar survives a reload (the server keeps the place itself).
 */
export function rememberStartPosition(eventId: string, position: number): number {
  const key = `waiting-room:start:${eventId}`;
  try {
    const saved = Number(sessionStorage.getItem(key));
    // A later position than the saved one means a new queue (the early band was shuffled, or a rejoin).
    if (Number.isFinite(saved) && saved >= position && saved > 0) return saved;
    sessionStorage.setItem(key, String(position));
  } catch {
    // storage disabled: the bar starts from the current position
  }
  return position;
}

/** Forget the remembered start (after admission or when leaving). */
export function forgetStartPosition(eventId: string): void {
  try {
    sessionStorage.removeItem(`waiting-room:start:${eventId}`);
  } catch {
    // ignore
  }
}

/** 0..1: how far the visitor has moved from their starting position to the front. */
export function queueProgress(start: number, position: number): number {
  if (start <= 1) return position <= 1 ? 1 : 0;
  return Math.min(1, Math.max(0, (start - position) / (start - 1)));
}

/** "about 3 minutes", "less than a minute". */
export function formatWait(seconds: number | undefined): string {
  if (seconds === undefined) return 'unknown';
  if (seconds < 60) return 'less than a minute';
  const m = Math.round(seconds / 60);
  if (m < 60) return `about ${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.floor(m / 60);
  return `about ${h} h ${m % 60} min`;
}
