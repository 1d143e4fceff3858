import { isIP } from 'node:net';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['true', '1', 'on', 'yes'].includes(v));

/** proxy-addr's names for address ranges, accepted by Express's `trust proxy`. */
const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One `TRUST_PROXY` entry: a range name, an address, or address/prefix-length (or /netmask). */
function isTrustEntry(entry: string): boolean {
  if (TRUST_PROXY_NAMES.has(entry)) return true;
  const [addr = '', range, ...rest] = entry.split('/');
  const kind = isIP(addr);
  if (!kind || rest.length) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (kind === 4 ? 32 : 128);
  return kind === 4 && isIP(range) === 4;
}

/**
 * `TRUST_PROXY`: the addresses whose `X-Forwarded-For` / `-Proto` / `-Host` Express believes, as
 * Express's `trust proxy` list. A hop count (or `true`) is refused: it believes whoever connects,
 * so a client that reaches an instance directly picks its own address and per-address limits
 * stop working (docs/adr/0020-login-abuse-and-trusted-proxies.md). `false` trusts no one.
 */
const TrustProxy = z
  .string()
  .trim()
  .default('loopback')
  .transform((raw, ctx) => {
    if (raw === 'false' || raw === 'none') return false as const;
    const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
    if (/^\d+$/.test(raw) || raw === 'true') {
      ctx.addIssue({
        code: 'custom',
        message:
          `"${raw}" trusts X-Forwarded-For from any client that connects, so a client that reaches an instance directly ` +
          'chooses its own address and per-address rate limits stop working. Name the front door instead: ' +
          '`loopback`, its address or subnet (e.g. `127.0.0.1`, `10.0.0.0/8`, `uniquelocal`), comma separated; `false` trusts no one.',
      });
      return z.NEVER;
    }
    const bad = entries.filter((e) => !isTrustEntry(e));
    if (!entries.length || bad.length) {
      ctx.addIssue({ code: 'custom', message: `not an address, subnet or one of loopback, linklocal, uniquelocal: ${bad.join(', ') || '(empty)'}` });
      return z.NEVER;
    }
    return entries;
  });

/** Parse `host:port,host:port` (IPv6 as `[::1]:7000`); throws naming a bad entry. */
export function parseClusterNodes(raw: string): { host: string; port: number }[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(entry);
      const port = m ? Number(m[3]) : NaN;
      if (!m || port < 1 || port > 65535) throw new Error(`not host:port: ${entry}`);
      return { host: (m[1] ?? m[2])!, port };
    });
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HTTP port of this API instance. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address the HTTP server listens on: 0.0.0.0 in a container, 127.0.0.1 behind a local front door. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Name of this instance in logs and metrics (e.g. api-1). */
  INSTANCE_ID: z.string().min(1).default('api'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://root@127.0.0.1:5432/ticketing'),
  /**
   * A streaming replica for discovery reads (event search, lists, details, venues). Unset: the
   * primary serves them. Holds, checkout, orders and every read that decides a sale use DATABASE_URL.
   */
  DATABASE_READ_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /**
   * Redis Cluster seed nodes, `host:port,host:port`. Set: the API runs on the cluster (REDIS_URL then
   * only lends its credentials and TLS); unset: on the one server of REDIS_URL.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw?.trim()) return undefined;
      try {
        return parseClusterNodes(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Prefix on every Redis key this process writes (lets several stacks or test runs share one Redis). */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]*$/).default('tk:'),
  /** Signs the session cookie. Must be long and secret in production. */
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** Signs ticket codes (HMAC-SHA256). Defaults to SESSION_SECRET outside production. */
  TICKET_SECRET: z.string().min(16).optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  /** Set the cookie `Secure` flag. Unset: true in production, false otherwise; `false` opts out (plain-HTTP local runs). */
  COOKIE_SECURE: bool.optional(),
  /** Origins allowed to send cookie-authenticated writes, comma separated. Empty: same host only. */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  /** Addresses whose X-Forwarded-* headers are believed (the front door): Express `trust proxy` list. */
  TRUST_PROXY: TrustProxy,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `off` mounts no limiter at all and changes nothing else; load tests raise the limits instead. */
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(1).default(20),
  /** Failed logins per account *and* address per login window (never locks the account from elsewhere). */
  RATE_LIMIT_LOGIN_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  /** Failed logins of one account (from any address) in the window after which every attempt on it is delayed. */
  RATE_LIMIT_LOGIN_DELAY_AFTER: z.coerce.number().int().min(1).default(3),
  /** The first delay; each further failure doubles it, up to RATE_LIMIT_LOGIN_DELAY_MAX_MS. */
  RATE_LIMIT_LOGIN_DELAY_BASE_MS: z.coerce.number().int().min(0).default(500),
  RATE_LIMIT_LOGIN_DELAY_MAX_MS: z.coerce.number().int().min(0).max(30_000).default(4_000),
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  RATE_LIMIT_REGISTER_PER_IP: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_API_PER_IP: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_API_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(11),
  /** Time-to-live of cached event reads in Redis. */
  EVENT_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(30),
  /** How long a hold lasts. */
  HOLD_TTL_SECONDS: z.coerce.number().int().min(1).default(600),
  /**
   * `async`: hold, release and expiry statements commit without waiting for the WAL flush (a
   * separate pool with synchronous_commit=off; a PostgreSQL crash can forget the last ~0.6 s of
   * holds, never a sale). `sync`: every commit is durable. See architecture.md, "Hold commits".
   */
  HOLD_COMMIT: z.enum(['async', 'sync']).default('async'),
  /** Give up on one payment provider call after this long (answer 503 payment_unavailable). */
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(10).default(5_000),
  /** Consecutive provider failures (errors, timeouts) that open the payment circuit breaker. */
  PAYMENT_BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
  /** How long the open breaker refuses calls before letting one trial through (half-open). */
  PAYMENT_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(10).default(15_000),
  /** How far checkout pushes a hold's expiry so the expiry worker cannot reap it mid-payment. */
  PAYMENT_GRACE_SECONDS: z.coerce.number().int().min(5).default(120),
  /** Simulated provider: latency of an ordinary charge, and of the "slow" test card. */
  SIMULATED_PAYMENT_LATENCY_MS: z.coerce.number().int().min(0).default(20),
  SIMULATED_PAYMENT_SLOW_MS: z.coerce.number().int().min(0).default(30_000),
  /** How long a waiting-room admission lasts (the shopping window). */
  QUEUE_SHOPPING_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  /** A queued entry not polled for longer than this is passed over. */
  QUEUE_GRACE_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Run periodic workers (hold expiry, queue admission) in this process. */
  WORKERS: bool.default(true),
});

export type Env = Readonly<Omit<z.infer<typeof EnvSchema>, 'COOKIE_SECURE'> & { COOKIE_SECURE: boolean }>;

/** Parse and freeze the environment; throws an Error naming every bad or missing variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const input = { ...source };
  // A local-only default so the two README commands need no setup; refused in production.
  if (!input.SESSION_SECRET && input.NODE_ENV !== 'production') input.SESSION_SECRET = 'dev-only-session-secret-change-me';
  const parsed = EnvSchema.superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.TICKET_SECRET) ctx.addIssue({ code: 'custom', path: ['TICKET_SECRET'], message: 'is required in production' });
  })
    .transform((env) => ({ ...env, COOKIE_SECURE: env.COOKIE_SECURE ?? env.NODE_ENV === 'production' }))
    .safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
