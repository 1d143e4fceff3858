import type { ProblemCode } from '@ticketing/shared';

/** A domain error with an HTTP status and a stable machine code; the error handler renders it. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    message: string,
    /** Extra members merged into the problem+json body (e.g. unavailableSeatIds). */
    readonly extra: Record<string, unknown> = {},
    /** Response headers to set (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(errors: { path: string; message: string }[], message = 'The request is not valid.') {
    super(400, 'validation_failed', message, { errors });
  }
}
export class BadRequestError extends AppError {
  constructor(message: string, code: ProblemCode = 'bad_request', extra: Record<string, unknown> = {}) {
    super(400, code, message, extra);
  }
}
export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'unauthenticated', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.', code: ProblemCode = 'forbidden') {
    super(403, code, message);
  }
}
export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super(404, 'not_found', `${what} not found.`);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, code: ProblemCode = 'conflict', extra: Record<string, unknown> = {}) {
    super(409, code, message, extra);
  }
}
export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', 'Too many requests. Try again later.', {}, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(message = 'The service is temporarily unavailable.', code: ProblemCode = 'service_unavailable', retryAfterSeconds = 5) {
    super(503, code, message, {}, { 'Retry-After': String(retryAfterSeconds) });
  }
}
