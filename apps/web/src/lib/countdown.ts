/** Below this many ms left, a countdown turns urgent. */
export const URGENT_THRESHOLD_MS = 2 * 60 * 1000;

export interface CountdownState {
  /** Whole ms left, never negative. */
  remainingMs: number;
  /** "09:41" (minutes:seconds, rounded up so 0:00 shows only at expiry). */
  label: string;
  urgent: boolean;
  expired: boolean;
}

/**
 * The state of a countdown to `expiresAt` (ISO, server clock) at local time `localNowMs`,
 * corrected by `skewMs` (server time minus local time).
 */
export function countdown(expiresAt: string, localNowMs: number, skewMs: number): CountdownState {
  const end = Date.parse(expiresAt);
  const remainingMs = Math.max(0, end - (localNowMs + skewMs));
  const totalSeconds = Math.ceil(remainingMs / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return {
    remainingMs,
    label: `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`,
    urgent: remainingMs > 0 && remainingMs <= URGENT_THRESHOLD_MS,
    expired: remainingMs <= 0,
  };
}

/** "9 minutes 41 seconds" for screen readers. */
export function spokenDuration(remainingMs: number): string {
  const s = Math.ceil(remainingMs / 1000);
  const m = Math.floor(s / 60);
  const parts = [];
  if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  parts.push(`${s % 60} second${s % 60 === 1 ? '' : 's'}`);
  return parts.join(' ');
}
