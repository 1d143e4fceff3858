import { isUtf8 } from 'node:buffer';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from 'pino';
import { AppError, NotFoundError, ValidationError } from './errors.js';
import { connectionLossProblem } from './connection-errors.js';
import { requestContext } from './logger.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Write an RFC 9457 problem+json response. */
export function sendProblem(res: Response, err: AppError): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  const requestId = requestContext.getStore()?.requestId;
  res
    .status(err.status)
    .type('application/problem+json')
    .json({
      type: `https://ticketing.dev/problems/${err.code.replace(/_/g, '-')}`,
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      detail: err.message,
      code: err.code,
      ...err.extra,
      ...(requestId ? { requestId } : {}),
    });
}

function issuesToErrors(issues: z.core.$ZodIssue[], prefix: string) {
  return issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));
}

type Schemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };

/** Parsed request parts, set by `validate()`. Read them with `parsed(req)`. */
export interface Parsed<P = unknown, Q = unknown, B = unknown> {
  params: P;
  query: Q;
  body: B;
}

/**
 * Parse params, query and body with the shared schemas; a failure answers 400
 * `validation_failed` listing every problem. Parsed values land on `res.locals.parsed`.
 */
export function validate(schemas: Schemas): RequestHandler {
  return (req, res, next) => {
    const out: Record<string, unknown> = { params: req.params, query: req.query, body: req.body };
    const errors: { path: string; message: string }[] = [];
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const input = part === 'body' && req.body === undefined ? {} : out[part];
      const r = schema.safeParse(input);
      if (r.success) out[part] = r.data;
      else errors.push(...issuesToErrors(r.error.issues, part));
    }
    if (errors.length) return next(new ValidationError(errors));
    res.locals.parsed = out;
    next();
  };
}

/** The values `validate()` parsed, typed by the caller. */
export function parsed<P = unknown, Q = unknown, B = unknown>(res: Response): Parsed<P, Q, B> {
  return res.locals.parsed as Parsed<P, Q, B>;
}

/** Final 404 for unknown API paths. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError('Route'));

/** Map PostgreSQL error codes we expect to their meaning for the client. */
function fromPgError(err: { code?: string }): AppError | null {
  switch (err.code) {
    case '23505':
      return new AppError(409, 'conflict', 'That conflicts with existing data.');
    case '55P03': // lock_not_available (NOWAIT)
      return new AppError(409, 'seats_unavailable', 'Those seats are being taken by someone else.', { unavailableSeatIds: [] });
    case '22P02': // invalid_text_representation (e.g. a bad uuid that slipped through)
      return new AppError(400, 'bad_request', 'A value in the request has the wrong format.');
    // Last line of defence behind the shared `text()` schemas: a NUL byte or text the
    // database encoding cannot hold is the client's input, never our fault.
    case '22003': // numeric_value_out_of_range (a number too large for its column)
    case '22008': // datetime_field_overflow (e.g. year 0000)
    case '22001': // string_data_right_truncation
      return new AppError(400, 'bad_request', 'A value in the request is out of range.');
    case '22021': // character_not_in_repertoire (e.g. a NUL byte in a text value)
    case '22P05': // untranslatable_character
      return new AppError(400, 'validation_failed', 'A text value in the request contains characters that are not allowed.', { errors: [{ path: 'request', message: 'contains characters that are not allowed' }] });
    case '23503':
      return new AppError(409, 'conflict', 'A referenced item does not exist.');
    case '23514':
      return new AppError(409, 'conflict', 'That change would leave the data in an invalid state.');
    case '40P01': // deadlock_detected: one side was rolled back; a retry succeeds
    case '40001': // serialization_failure
    case '57014': // query_canceled (statement timeout)
    case '53300': // too_many_connections
      return new AppError(503, 'service_unavailable', 'The system is busy. Please retry.', {}, { 'Retry-After': '1' });
    default:
      return null;
  }
}

/**
 * body-parser `verify` hook: a JSON body declared (or defaulted to) UTF-8 must be valid UTF-8.
 * Without it, invalid bytes would be silently replaced with U+FFFD and stored.
 */
export function utf8Only(_req: unknown, _res: unknown, buf: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(buf)) {
    throw Object.assign(new Error('The request body is not valid UTF-8.'), { status: 400, type: 'encoding.invalid' });
  }
}

/** zlib's codes for a body that does not decode as its `Content-Encoding` claims. */
const ZLIB_CODES = new Set(['Z_DATA_ERROR', 'Z_BUF_ERROR', 'Z_NEED_DICT', 'ERR_BROTLI_DECOMPRESSION_FAILED', 'ERR_ZSTD_DECOMPRESSION_FAILED']);

/**
 * Errors the request itself caused, raised by Express, its router or body-parser before any
 * handler ran: each gets a 4xx with a stable code, never a 500.
 * - router: a path parameter that is not valid percent-encoding (`/events/%ZZ`) is a URIError
 *   with `status` 400;
 * - body-parser: `type` names the failure; a body that does not inflate as its
 *   `Content-Encoding` says is zlib's error (a `Z_*` code) wrapped with status 400;
 * - anything else marked `expose` by http-errors with a 4xx status.
 */
function fromClientError(err: unknown): AppError | null {
  const e = err as { type?: string; status?: number; statusCode?: number; code?: string; expose?: boolean };
  switch (e.type) {
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', 'The request body is too large.');
    case 'entity.parse.failed':
      return new AppError(400, 'validation_failed', 'The request body is not valid JSON.', { errors: [{ path: 'body', message: 'invalid JSON' }] });
    case 'encoding.unsupported':
      return new AppError(415, 'unsupported_media_type', 'Unsupported Content-Encoding; send the body uncompressed, or as gzip, deflate or br.');
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_media_type', 'Unsupported charset; send the body as UTF-8.');
    case 'encoding.invalid':
      return new AppError(400, 'validation_failed', 'The request body is not valid UTF-8.', { errors: [{ path: 'body', message: 'invalid UTF-8' }] });
    case 'request.size.invalid':
    case 'request.aborted':
      return new AppError(400, 'bad_request', 'The request body did not arrive as its headers announced.');
  }
  if (e.code && ZLIB_CODES.has(e.code)) return new AppError(400, 'bad_request', 'The request body is not encoded as its Content-Encoding says.');
  if (err instanceof URIError) return new AppError(400, 'bad_request', 'The request path is not valid percent-encoding.');
  const status = e.status ?? e.statusCode;
  if (e.expose && typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return new AppError(413, 'payload_too_large', 'The request body is too large.');
    if (status === 415) return new AppError(415, 'unsupported_media_type', 'Unsupported media type.');
    if (status === 403) return new AppError(403, 'forbidden', 'The request was refused.');
    if (status === 404) return new AppError(404, 'not_found', 'Not found.');
    return new AppError(400, 'bad_request', 'The request could not be read.');
  }
  return null;
}

/** The one error handler: AppError and known library errors → problem+json; anything else → 500 without internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      // The answer has started (e.g. a stream): it cannot become a problem+json any more.
      logger.error({ err }, 'error after the response started');
      req.socket.destroy();
      return;
    }
    if (err instanceof AppError) return sendProblem(res, err);
    const e = err as { type?: string; status?: number; statusCode?: number; code?: string; expose?: boolean };
    const clientError = fromClientError(err);
    if (clientError) return sendProblem(res, clientError);
    // A lost or unobtainable PostgreSQL/Redis connection: 503 + Retry-After (platform/connection-errors.ts).
    const lost = connectionLossProblem(err);
    if (lost) {
      logger.warn({ service: lost.loss.service, reason: lost.loss.reason, err: (err as Error).message }, 'connection lost or unavailable');
      return sendProblem(res, lost.problem);
    }
    const mapped = fromPgError(e);
    if (mapped) {
      logger.warn({ pgCode: e.code }, 'mapped database error');
      return sendProblem(res, mapped);
    }
    logger.error({ err }, 'unhandled error');
    sendProblem(res, new AppError(500, 'internal_error', 'Something went wrong on our side.'));
  };
}
