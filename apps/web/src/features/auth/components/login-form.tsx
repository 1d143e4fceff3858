import { useState, type FormEvent } from 'react';
import { LoginInput } from '@ticketing/shared';
import { Button, Input } from '../../../components/ui';
import { errorMessage, isProblem } from '../../../lib/api-client';
import { zodFieldErrors } from '../../../lib/form-errors';
import { useAuthActions } from '../hooks';

/** E-mail + password form; calls `onSuccess` after the session starts. */
export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const { signIn } = useAuthActions();
  const [fields, setFields] = useState({ email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const parsed = LoginInput.safeParse(fields);
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      await signIn(parsed.data);
      onSuccess();
    } catch (err) {
      setFormError(isProblem(err, 'invalid_credentials') ? 'That e-mail and password do not match an account.' : errorMessage(err));
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
        autoComplete="current-password"
        value={fields.password}
        error={errors.password}
        onChange={(e) => setFields({ ...fields, password: e.target.value })}
        required
      />
      <Button type="submit" loading={busy} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
