import { knownTimeZone, viewerTimeZone, wallClock, wallClockToInstant } from '../../../lib/time-zone';

/*
 * An <input type="datetime-local"> holds a wall-clock time with no zone. The event form reads and
 * writes it on the venue's clock: "20:00" for a Berlin venue is 20:00 in Berlin, whoever types it.
 * Without a known zone (no venue chosen yet) the viewer's zone is used.
 */

const p = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO instant → datetime-local value on the clock of `timeZone`: ("2026-12-12T19:00:00Z", "Europe/Berlin") → "2026-12-12T20:00". */
export function isoToZonedInput(iso: string, timeZone?: string | null): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = wallClock(d, knownTimeZone(timeZone) ?? viewerTimeZone());
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * datetime-local value on the clock of `timeZone` → ISO instant: ("2026-12-12T20:00", "Europe/Berlin")
 * → "2026-12-12T19:00:00.000Z". '' stays '' and anything unparsable is returned as is, so the
 * shared schema reports it.
 */
export function zonedInputToIso(value: string, timeZone?: string | null): string {
  const m = LOCAL.exec(value);
  if (!m) return value;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((s) => Number(s ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return value;
  return wallClockToInstant({ year, month, day, hour, minute, second }, knownTimeZone(timeZone) ?? viewerTimeZone()).toISOString();
}
