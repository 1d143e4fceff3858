import type { AvailabilityChanges, SeatStatusChar } from '@ticketing/shared';

/** Seat status codes kept in a Uint8Array (one byte per seat index). */
export const STATUS = { available: 0, held: 1, sold: 2, unknown: 3 } as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

const CODE: Record<string, StatusCode> = { a: STATUS.available, h: STATUS.held, s: STATUS.sold };

/** Decode the snapshot string ("aahs…") into status codes. */
export function decodeStatuses(statuses: string, size: number): Uint8Array {
  const out = new Uint8Array(Math.max(size, statuses.length)).fill(STATUS.unknown);
  for (let i = 0; i < statuses.length; i++) out[i] = CODE[statuses[i]!] ?? STATUS.unknown;
  return out;
}

/** Status char → code. */
export function statusCode(c: SeatStatusChar): StatusCode {
  return CODE[c] ?? STATUS.unknown;
}

export type ApplyResult =
  /** Applied; `changed` lists seats whose status really changed. */
  | { kind: 'applied'; version: number; changed: [number, StatusCode][] }
  /** Older than or equal to what we have: ignore. */
  | { kind: 'stale' }
  /** Versions were missed: the caller must refetch the snapshot. */
  | { kind: 'gap' };

/**
 * Apply one stream message to `statuses` (in place) if it is the next version. A message
 * whose version skips ahead means we missed changes: nothing is applied and the caller refetches.
 */
export function applyChanges(statuses: Uint8Array, currentVersion: number, msg: AvailabilityChanges): ApplyResult {
  if (msg.version <= currentVersion) return { kind: 'stale' };
  if (msg.version !== currentVersion + 1) return { kind: 'gap' };
  const changed: [number, StatusCode][] = [];
  for (const [index, c] of msg.changes) {
    if (index < 0 || index >= statuses.length) continue;
    const code = statusCode(c);
    if (statuses[index] !== code) {
      statuses[index] = code;
      changed.push([index, code]);
    }
  }
  return { kind: 'applied', version: msg.version, changed };
}
