import type { z } from 'zod';
import { ProblemError } from './api-client';

/** Field name → first message, from a zod error (client-side validation). */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    out[key] ??= issue.message;
  }
  return out;
}

/** Field name → message, from a problem+json `validation_failed` (paths like "body.payment.cvc"). */
export function problemFieldErrors(e: unknown, stripPrefix = 'body.'): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(e instanceof ProblemError)) return out;
  for (const { path, message } of e.errors) {
    const key = path.startsWith(stripPrefix) ? path.slice(stripPrefix.length) : path;
    out[key] ??= message;
  }
  return out;
}
