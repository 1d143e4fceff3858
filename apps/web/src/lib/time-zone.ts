/**
 * IANA time-zone arithmetic with Intl.DateTimeFormat only (no date library): which zone the
 * viewer is in, a zone's UTC offset at an instant, and wall-clock time in a zone ↔ instant.
 */

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = wallFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormatters.set(timeZone, f);
  }
  return f;
}

/** The viewer's (browser's) IANA time zone, e.g. "Europe/Berlin". */
export function viewerTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `timeZone` if Intl knows it, else undefined (callers then use the viewer's zone). */
export function knownTimeZone(timeZone: string | null | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    wallFormatter(timeZone);
    return timeZone;
  } catch {
    return undefined;
  }
}

/** Wall-clock fields, month 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What a clock in `timeZone` shows at `date`. */
export function wallClock(date: Date, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of wallFormatter(timeZone).formatToParts(date)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

function wallAsUtcMs(w: WallClock): number {
  const d = new Date(Date.UTC(2000, 0, 1, w.hour, w.minute, w.second));
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  return d.getTime();
}

/** UTC offset of `timeZone` at `date` in minutes east of UTC (Europe/Berlin: 60 in winter, 120 in summer). */
export function offsetMinutes(date: Date, timeZone: string): number {
  const wholeSeconds = Math.floor(date.getTime() / 1000) * 1000;
  return Math.round((wallAsUtcMs(wallClock(date, timeZone)) - wholeSeconds) / 60_000);
}

/**
 * The instant at which a clock in `timeZone` shows `wall`. Like Temporal's "compatible"
 * disambiguation: a time that occurs twice (autumn fall-back) is its first occurrence; a time
 * skipped by a spring-forward gap is moved forward by the gap (02:30 → 03:30).
 */
export function wallClockToInstant(wall: WallClock, timeZone: string): Date {
  const asUtc = wallAsUtcMs(wall);
  const day = 86_400_000;
  // A zone changes its offset at most once within a day either side of a wall time.
  const before = offsetMinutes(new Date(asUtc - day), timeZone);
  const after = offsetMinutes(new Date(asUtc + day), timeZone);
  const candidates = [...new Set([before, after])]
    .map((off) => asUtc - off * 60_000)
    .filter((t) => wallAsUtcMs(wallClock(new Date(t), timeZone)) === asUtc)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? asUtc - before * 60_000);
}
