import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { errorMessage } from '../../../lib/api-client';
import { problemFieldErrors, zodFieldErrors } from '../../../lib/form-errors';
import { friendlyErrors } from '../lib/messages';

/**
 * The admin forms' submit flow: validate the body with the shared schema (focus the first
 * invalid field), send it, and show field errors and a form-level message from either step.
 */
export function useSchemaSubmit<S extends z.ZodType>(schema: S, toBody: () => unknown, onSubmit: (body: z.infer<S>) => Promise<void>) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = schema.safeParse(toBody());
    if (!parsed.success) {
      setErrors(friendlyErrors(zodFieldErrors(parsed.error)));
      setFormError('Please fix the highlighted fields.');
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSubmit(parsed.data);
    } catch (err) {
      setErrors(friendlyErrors(problemFieldErrors(err)));
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return { errors, formError, busy, submit };
}
