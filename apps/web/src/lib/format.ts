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

/** "Sat 21 Nov 2026, 20:00" in the venue's time zone (falls back to the browser's). */
export function formatDateTime(iso: string, timeZone?: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));
}

/** "21 Nov 2026" in the venue's time zone. */
export function formatDate(iso: string, timeZone?: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(iso));
}

/** Short zone name for a time zone at a moment, e.g. "CET". */
export function formatZone(iso: string, timeZone: string, locale?: string): string {
  const part = new Intl.DateTimeFormat(locale, { timeZoneName: 'short', timeZone })
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}
