import { AppError } from './errors.js';

/** Which dependency a lost connection belongs to, and how soon a retry is worth it. */
export interface ConnectionLoss {
  service: 'postgres' | 'redis' | 'unknown';
  /** Short reason for logs and metrics: the SQLSTATE, errno or library condition. */
  reason: string;
  retryAfterSeconds: number;
}

/**
 * SQLSTATEs that mean the connection (not the statement) is gone: 57P01 admin_shutdown
 * (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting
 * up or shutting down), and class 08 connection_exception (08000, 08003, 08006, 08001, 08004 …).
 */
const PG_CONNECTION_CODES = new Set(['57P01', '57P02', '57P03']);
/** Socket errors: the peer refused, reset or never answered. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres's own messages for a connection that died or never came. */
const PG_MESSAGES = /Connection terminated|not queryable|Connection ended unexpectedly/i;
/** pg-pool: no connection could be had within connectionTimeoutMillis (all busy, or the server is not answering). */
const PG_POOL_TIMEOUT = /timeout exceeded when trying to connect/i;
/** ioredis: offline too long, or the connection dropped under a command. */
const REDIS_MESSAGES = /Stream isn't writeable|Connection is closed|Command timed out|max retries per request/i;

/**
 * Classify an error as a lost (or unobtainable) connection to PostgreSQL or Redis, or null when
 * it is anything else. Looks through AggregateError (Node tries every address of a host) and `cause`.
 */
export function connectionLoss(err: unknown, depth = 0): ConnectionLoss | null {
  if (!(err instanceof Error) || depth > 3) return null;
  const { code, name, message } = err as Error & { code?: unknown };
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(message)) return { service: 'redis', reason: name === 'MaxRetriesPerRequestError' ? 'offline' : 'connection_closed', retryAfterSeconds: 5 };
  if (PG_POOL_TIMEOUT.test(message)) return { service: 'postgres', reason: 'pool_timeout', retryAfterSeconds: 1 };
  if (typeof code === 'string') {
    if (PG_CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return { service: 'postgres', reason: code, retryAfterSeconds: 2 };
    if (SOCKET_CODES.has(code)) return { service: 'unknown', reason: code, retryAfterSeconds: 2 };
  }
  if (PG_MESSAGES.test(message)) return { service: 'postgres', reason: 'connection_terminated', retryAfterSeconds: 2 };
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const found = connectionLoss(inner, depth + 1);
      if (found) return found;
    }
  }
  return connectionLoss((err as { cause?: unknown }).cause, depth + 1);
}

/** The 503 problem a request gets when it meets a lost connection (null when the error is not one). */
export function connectionLossProblem(err: unknown): { problem: AppError; loss: ConnectionLoss } | null {
  const loss = connectionLoss(err);
  if (!loss) return null;
  const message = loss.reason === 'pool_timeout' ? 'The system is busy. Please retry.' : 'The service is temporarily unavailable. Please retry.';
  return { loss, problem: new AppError(503, 'service_unavailable', message, {}, { 'Retry-After': String(loss.retryAfterSeconds) }) };
}
