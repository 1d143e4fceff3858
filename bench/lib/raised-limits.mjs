/**
 * The API environment every benchmark runs with: rate limits ON, as in production, raised so that
 * one loopback client generating the load of thousands of fans is not throttled. The requests still
 * pass through the limiter middleware (one pipeline: docs/adr/0007-one-request-pipeline.md).
 */
export const RAISED_RATE_LIMITS = Object.freeze({
  RATE_LIMITS: 'on',
  RATE_LIMIT_API_PER_IP: '100000000',
  RATE_LIMIT_LOGIN_PER_IP: '100000000',
  RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000000',
  RATE_LIMIT_REGISTER_PER_IP: '100000000',
});

/** The same as `VAR=value …` words for a shell command line. */
export const RAISED_RATE_LIMITS_SHELL = Object.entries(RAISED_RATE_LIMITS).map(([k, v]) => `${k}=${v}`).join(' ');

// `node bench/lib/raised-limits.mjs` prints them, for starting an API by hand (bench/README.md).
if (import.meta.url === `file://${process.argv[1]}`) console.log(RAISED_RATE_LIMITS_SHELL);
