import { Problem } from '@ticketing/shared';
import { z } from 'zod';
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';

export type { ZodOpenApiPathsObject as OpenApiPaths } from 'zod-openapi';

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid (`validation_failed` lists each problem).',
  401: 'Not signed in (`unauthenticated`).',
  402: 'The payment was declined (`payment_declined`).',
  403: 'Not allowed (`forbidden`, `csrf_failed`, `not_admitted`).',
  404: 'No such resource (`not_found`).',
  409: 'Conflicts with the current state.',
  410: 'Gone (e.g. `hold_expired`).',
  413: 'The request body is too large.',
  422: 'Unprocessable.',
  429: 'Too many requests (`rate_limited`, with Retry-After).',
  503: 'Temporarily unavailable, with Retry-After.',
};

/** A JSON success response with `schema`. */
export function jsonResponse(schema: z.ZodType, description: string): ZodOpenApiResponseObject {
  return { description, content: { 'application/json': { schema } } };
}

/** A response without a body (204, 304). */
export function emptyResponse(description: string): ZodOpenApiResponseObject {
  return { description };
}

/** problem+json responses for the given statuses; 429 is added everywhere (the per-IP API limit). */
export function problems(...statuses: number[]): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const s of [...new Set([...statuses, 429])].sort()) {
    out[String(s) as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: PROBLEM_DESCRIPTIONS[s] ?? 'Error',
      content: { 'application/problem+json': { schema: Problem } },
    };
  }
  return out;
}

/** The 304 answer of a read that sends an ETag. */
export const notModified = { '304': emptyResponse('Not modified: the If-None-Match ETag still matches.') };

/** The cookie-session security requirement for operations that need a signed-in user. */
export const sessionAuth = [{ cookieSession: [] }];

/** A JSON request body. */
export function jsonBody(schema: z.ZodType) {
  return { required: true, content: { 'application/json': { schema } } };
}

/**
 * Merge several modules' path objects into one. Two modules may describe different methods
 * of one path; describing the same method twice is a programming error and throws.
 */
export function mergePaths(...parts: ZodOpenApiPathsObject[]): ZodOpenApiPathsObject {
  const out: Record<string, Record<string, unknown>> = {};
  for (const part of parts) {
    for (const [path, item] of Object.entries(part)) {
      if (!path.startsWith('/')) continue;
      const target = (out[path] ??= {});
      for (const [method, op] of Object.entries(item as Record<string, unknown>)) {
        if (method in target) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is described twice`);
        target[method] = op;
      }
    }
  }
  return out as ZodOpenApiPathsObject;
}
