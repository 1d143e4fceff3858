/**
 * Estimates how far the browser clock is from the server's, from the `Date` header of API
 * responses. The header has one-second resolution, so each sample assumes the server time was
 * the middle of that second and the request's midpoint locally; we keep the median of the last
 * samples to smooth network jitter. Countdowns use `serverNow()`, never the raw local clock.
 */
const MAX_SAMPLES = 7;
const samples: number[] = [];
let skewMs = 0;

/** Estimate one skew sample: server time minus local time, in ms. Pure; exported for tests. */
export function skewSample(dateHeader: string, requestStartMs: number, responseEndMs: number): number | null {
  const server = Date.parse(dateHeader);
  if (Number.isNaN(server)) return null;
  const localMid = (requestStartMs + responseEndMs) / 2;
  return server + 500 - localMid;
}

/** Median of numbers (the input is not modified). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Feed one response's Date header into the estimate. */
export function recordServerDate(dateHeader: string | null, requestStartMs: number, responseEndMs: number): void {
  if (!dateHeader) return;
  const sample = skewSample(dateHeader, requestStartMs, responseEndMs);
  if (sample === null) return;
  samples.push(sample);
  if (samples.length > MAX_SAMPLES) samples.shift();
  // Ignore sub-second differences: the header cannot resolve them anyway.
  const m = median(samples);
  skewMs = Math.abs(m) < 1000 ? 0 : Math.round(m);
}

/** Current estimate of server time minus local time, in ms. */
export function clockSkewMs(): number {
  return skewMs;
}

/** The server's idea of now, in epoch ms. */
export function serverNow(): number {
  return Date.now() + skewMs;
}

/** Test hook: forget every sample. */
export function resetServerClock(): void {
  samples.length = 0;
  skewMs = 0;
}
