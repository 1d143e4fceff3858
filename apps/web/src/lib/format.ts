import { knownTimeZone, offsetMinutes, viewerTimeZone } from './time-zone';

const fractionDigitsCache = new Map<string, number>();

/** Minor-unit digits of an ISO 4217 currency (2 for EUR, 0 for JPY). */
export function currencyDigits(currency: string): number {
  let d = fractionDigitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    fractionDigitsCache.set(currency, d);
  }
  return d;
}

/** Money from integer minor units: formatMoney(4550, 'EUR') → "€45.50". */
export function formatMoney(cents: number, currency: string, locale?: string): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: cents % 10 ** digits === 0 ? 0 : digits }).format(
    cents / 10 ** digits,
  );
}

/** A price range, collapsed when both ends are equal. */
export function formatPriceRange(min: number, max: number, currency: string, locale?: string): string {
  if (min === max) return formatMoney(min, currency, locale);
  return `${formatMoney(min, currency, locale)} – ${formatMoney(max, currency, locale)}`;
}

/** "Sat, 12 Dec 2026, 20:00": the parts every date-and-time shown in the app has. */
const DATE_TIME: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/** An instant on the viewer's clock (not for event times: those use formatEventTime). */
export function formatDateTime(iso: string, timeZone?: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { ...DATE_TIME, timeZone }).format(new Date(iso));
}

/** "21 Nov 2026" in the given time zone (the viewer's by default). */
export function formatDate(iso: string, timeZone?: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(iso));
}

export interface EventTimeOptions {
  locale?: string;
  /** The viewer's IANA zone; the browser's by default (tests pin it). */
  viewerTimeZone?: string;
}

/**
 * An event's date and time (startsAt, onSaleAt) on the venue's clock, whoever looks:
 * "Sat, 12 Dec 2026, 20:00" for a Berlin show. When the viewer's clock shows another time at that
 * instant, the venue zone's short name follows ("… 20:00 CET", "… 20:00 GMT+1", per locale).
 * Without a known venue zone it falls back to the viewer's clock, unlabelled.
 */
export function formatEventTime(iso: string, venueTimeZone: string | null | undefined, o: EventTimeOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const viewer = knownTimeZone(o.viewerTimeZone) ?? viewerTimeZone();
  const timeZone = knownTimeZone(venueTimeZone) ?? viewer;
  const differs = offsetMinutes(date, timeZone) !== offsetMinutes(date, viewer);
  return new Intl.DateTimeFormat(o.locale, { ...DATE_TIME, timeZone, ...(differs ? { timeZoneName: 'short' as const } : {}) }).format(date);
}

/** "19:42:10" on the viewer's clock, with the date in front when it is not today there. */
export function formatClockTime(iso: string, o: { locale?: string; timeZone?: string; now?: Date } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const timeZone = knownTimeZone(o.timeZone) ?? viewerTimeZone();
  const time = new Intl.DateTimeFormat(o.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone }).format(date);
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return day(date) === day(o.now ?? new Date()) ? time : `${formatDate(iso, timeZone, o.locale)}, ${time}`;
}
