import { useState, type FormEvent } from 'react';
import { RegisterInput } from '@ticketing/shared';
import { Button, Input } from '../../../components/ui';
import { errorMessage, isProblem } from '../../../lib/api-client';
import { problemFieldErrors, zodFieldErrors } from '../../../lib/form-errors';
import { useAuthActions } from '../hooks';

/** Name, e-mail, password; validated with the shared RegisterInput schema. */
export function RegisterForm({ onSuccess }: { onSuccess: () => void }) {
  const { signUp } = useAuthActions();
  const [fields, setFields] = useState({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const parsed = RegisterInput.safeParse(fields);
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      await signUp(parsed.data);
      onSuccess();
    } catch (err) {
      if (isProblem(err, 'email_taken')) setErrors({ email: 'An account with this e-mail already exists. Sign in instead.' });
      else if (isProblem(err, 'validation_failed')) setErrors(problemFieldErrors(err));
      else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {formError && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {formError}
        </p>
      )}
      <Input label="Name" autoComplete="name" value={fields.name} error={errors.name} onChange={(e) => setFields({ ...fields, name: e.target.value })} required />
      <Input
        label="E-mail"
        type="email"
        autoComplete="email"
        value={fields.email}
        error={errors.email}
        onChange={(e) => setFields({ ...fields, email: e.target.value })}
        required
      />
      <Input
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters, with a letter and a digit."
        value={fields.password}
        error={errors.password}
        onChange={(e) => setFields({ ...fields, password: e.target.value })}
        required
      />
      <Button type="submit" loading={busy} className="w-full">
        Create account
      </Button>
    </form>
  );
}
