import type { z } from 'zod';
import { Problem, type ProblemCode } from '@ticketing/shared';
import { recordServerDate } from './server-clock';

/** Codes the client adds for failures that never reached a problem+json body. */
export type ClientErrorCode = 'network_error' | 'invalid_response' | 'http_error';

/** An API error carrying the RFC 9457 problem fields; `status` 0 means the network failed. */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: ProblemCode | ClientErrorCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: { path: string; message: string }[];
  readonly unavailableSeatIds: string[];
  readonly retryAfterSeconds: number | undefined;
  /** The whole problem+json body as received, for members a particular error adds (parse it with its shared schema). */
  readonly body: unknown;

  constructor(init: {
    status: number;
    code: ProblemCode | ClientErrorCode;
    title: string;
    detail?: string;
    errors?: { path: string; message: string }[];
    unavailableSeatIds?: string[];
    retryAfterSeconds?: number;
    body?: unknown;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ProblemError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.unavailableSeatIds = init.unavailableSeatIds ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.body = init.body;
  }

  /** The sentence to show a person: the server's `detail`, else its title. */
  get userMessage(): string {
    return this.detail ?? this.title;
  }
}

/** True when `e` is a ProblemError with one of the given codes. */
export function isProblem(e: unknown, ...codes: (ProblemCode | ClientErrorCode)[]): e is ProblemError {
  return e instanceof ProblemError && (codes.length === 0 || codes.includes(e.code));
}

/** A human message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ProblemError) return e.userMessage;
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Shared zod schema the answer must match. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
  /** Query parameters; undefined and empty values are left out. */
  query?: Record<string, string | number | boolean | undefined | null>;
}

/** Build `/api/v1<path>?query`. */
export function apiUrl(path: string, query?: RequestOptions<unknown>['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

async function toProblem(res: Response): Promise<ProblemError> {
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy error page, an empty body)
  }
  const parsed = Problem.safeParse(body);
  if (parsed.success) {
    const p = parsed.data;
    return new ProblemError({ ...p, status: res.status, retryAfterSeconds, body });
  }
  const loose = (body ?? {}) as { title?: string; detail?: string };
  return new ProblemError({
    status: res.status,
    code: 'http_error',
    title: loose.title ?? (res.status >= 500 ? 'The service is unavailable right now.' : `Request failed (${res.status}).`),
    detail: loose.detail,
    retryAfterSeconds,
  });
}

/**
 * Low-level fetch to the API: same-origin credentials, JSON, clock-skew sampling.
 * Returns the Response for 2xx and 304; throws a ProblemError otherwise.
 */
export async function apiFetch(path: string, opts: RequestOptions<unknown> = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const started = Date.now();
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ProblemError({ status: 0, code: 'network_error', title: 'Cannot reach the server. Check your connection and try again.' });
  }
  recordServerDate(res.headers.get('date'), started, Date.now());
  if (!res.ok && res.status !== 304) throw await toProblem(res);
  return res;
}

/** Call the API and return the parsed JSON body (undefined for 204). */
export async function api<T = unknown>(path: string, opts: RequestOptions<T> = {}): Promise<T> {
  const res = await apiFetch(path, opts as RequestOptions<unknown>);
  if (res.status === 204) return undefined as T;
  const json: unknown = await res.json();
  if (!opts.schema) return json as T;
  const parsed = opts.schema.safeParse(json);
  if (!parsed.success) {
    if (import.meta.env.DEV) console.error(`Response of ${path} does not match the contract`, parsed.error.issues);
    throw new ProblemError({ status: res.status, code: 'invalid_response', title: 'The server sent an unexpected answer.' });
  }
  return parsed.data;
}
