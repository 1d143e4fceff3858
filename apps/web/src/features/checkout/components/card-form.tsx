import { useRef, useState, type FormEvent } from 'react';
import { CardNumber, PaymentInput } from '@ticketing/shared';
import { Button, Input, Select, cx } from '../../../components/ui';
import { zodFieldErrors } from '../../../lib/form-errors';
import { TEST_CARDS } from '../lib/test-cards';

export interface CardFields {
  name: string;
  cardNumber: string;
  expMonth: string;
  expYear: string;
  cvc: string;
}

const EMPTY: CardFields = { name: '', cardNumber: '', expMonth: '', expYear: '', cvc: '' };

/** Group digits in fours as the user types ("4242 4242 …"). */
function groupDigits(v: string): string {
  return v
    .replace(/[^\d]/g, '')
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Turn the form's strings into the PaymentInput shape (numbers where the schema wants numbers). */
export function toPaymentCandidate(f: CardFields) {
  return {
    name: f.name,
    cardNumber: f.cardNumber,
    expMonth: f.expMonth === '' ? Number.NaN : Number(f.expMonth),
    expYear: f.expYear === '' ? Number.NaN : Number(f.expYear),
    cvc: f.cvc,
  };
}

export interface CardFormProps {
  submitting: boolean;
  submitLabel: string;
  /** Field errors from the server (validation_failed), keyed by PaymentInput field. */
  serverErrors?: Record<string, string>;
  onSubmit: (payment: PaymentInput) => void;
  /** The user changed the card details (a new attempt after a decline). */
  onEdit?: () => void;
}

/** Card details, validated with the same shared PaymentInput schema the server uses. */
export function CardForm({ submitting, submitLabel, serverErrors, onSubmit, onEdit }: CardFormProps) {
  const [fields, setFields] = useState<CardFields>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const shown = { ...serverErrors, ...errors };
  const year = new Date().getFullYear();

  function set<K extends keyof CardFields>(k: K, v: string) {
    setFields((f) => ({ ...f, [k]: v }));
    setErrors((e) => ({ ...e, [k]: '' }));
    onEdit?.();
  }

  /** When the number looks complete, say at once if it cannot be a card (same check as the server: digits and Luhn). */
  function checkCardNumber() {
    if (fields.cardNumber.replace(/\D/g, '').length < 12) return;
    const r = CardNumber.safeParse(fields.cardNumber);
    if (!r.success) setErrors((e) => ({ ...e, cardNumber: r.error.issues[0]?.message ?? 'is not a valid card number' }));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (submitting) return;
    const parsed = PaymentInput.safeParse(toPaymentCandidate(fields));
    if (!parsed.success) {
      const errs = zodFieldErrors(parsed.error);
      if (errs.expMonth?.includes('NaN') || (fields.expMonth === '' && errs.expMonth)) errs.expMonth = 'is required';
      if (errs.expYear?.includes('NaN') || (fields.expYear === '' && errs.expYear)) errs.expYear = 'is required';
      if (errs.name && fields.name.trim() === '') errs.name = 'Enter the name printed on the card';
      if (errs.cardNumber && fields.cardNumber.trim() === '') errs.cardNumber = 'Enter the card number';
      setErrors(errs);
      // Move focus to the first invalid field so keyboard and screen-reader users land on it.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const expEnd = new Date(parsed.data.expYear, parsed.data.expMonth, 1);
    if (expEnd <= new Date()) {
      setErrors({ expMonth: 'This card has expired' });
      return;
    }
    setErrors({});
    onSubmit(parsed.data);
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="space-y-4" aria-label="Card details">
      <Input label="Name on card" autoComplete="cc-name" value={fields.name} error={shown.name} onChange={(e) => set('name', e.target.value)} />
      <Input
        label="Card number"
        inputMode="numeric"
        autoComplete="cc-number"
        placeholder="1234 5678 9012 3456"
        value={fields.cardNumber}
        error={shown.cardNumber}
        onChange={(e) => set('cardNumber', groupDigits(e.target.value))}
        onBlur={checkCardNumber}
      />
      <div className="grid grid-cols-3 gap-3">
        <Select label="Month" autoComplete="cc-exp-month" value={fields.expMonth} onChange={(e) => set('expMonth', e.target.value)} aria-invalid={shown.expMonth ? true : undefined}>
          <option value="">MM</option>
          {Array.from({ length: 12 }, (_, k) => (
            <option key={k + 1} value={k + 1}>
              {String(k + 1).padStart(2, '0')}
            </option>
          ))}
        </Select>
        <Select label="Year" autoComplete="cc-exp-year" value={fields.expYear} onChange={(e) => set('expYear', e.target.value)} aria-invalid={shown.expYear ? true : undefined}>
          <option value="">YYYY</option>
          {Array.from({ length: 12 }, (_, k) => (
            <option key={k} value={year + k}>
              {year + k}
            </option>
          ))}
        </Select>
        <Input label="CVC" inputMode="numeric" autoComplete="cc-csc" maxLength={4} value={fields.cvc} error={shown.cvc} onChange={(e) => set('cvc', e.target.value.replace(/\D/g, ''))} />
      </div>
      {(shown.expMonth || shown.expYear) && (
        <p className="-mt-2 text-sm text-red-600" role="alert">
          Expiry: {shown.expMonth || shown.expYear}
        </p>
      )}
      {import.meta.env.DEV && (
        <details className="rounded-lg bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
          <summary className="cursor-pointer font-medium text-amber-950">Test cards (development build only)</summary>
          <ul className="mt-2 space-y-1">
            {TEST_CARDS.map((c) => (
              <li key={c.number} className="flex flex-wrap items-center justify-between gap-2">
                <code className="font-mono">{groupDigits(c.number)}</code>
                <span className="text-amber-900">{c.outcome}</span>
                <button
                  type="button"
                  className="rounded px-2 py-0.5 text-amber-950 underline hover:bg-amber-100"
                  onClick={() => {
                    setFields({ name: fields.name || 'Test Fan', cardNumber: groupDigits(c.number), expMonth: '12', expYear: String(year + 2), cvc: '123' });
                    setErrors({});
                    onEdit?.();
                  }}
                >
                  Use
                </button>
              </li>
            ))}
          </ul>
          <p className="mt-2 text-amber-900">Any future expiry and any 3-digit CVC.</p>
        </details>
      )}
      <Button type="submit" size="lg" loading={submitting} className={cx('w-full')}>
        {submitLabel}
      </Button>
    </form>
  );
}
