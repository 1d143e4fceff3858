import { CheckinInput, TicketAlreadyUsedProblem, type CheckinResult } from '@ticketing/shared';
import { useRef, useState, type FormEvent } from 'react';
import { Button, Card, cx } from '../../../components/ui';
import { errorMessage, isProblem } from '../../../lib/api-client';
import { formatClockTime } from '../../../lib/format';
import { checkIn } from '../api/admin-api';
import { CameraScanner, barcodeScanningSupported } from './camera-scanner';

/** The verdict shown for the last scanned code. */
type Verdict =
  | { kind: 'valid'; result: CheckinResult }
  /** `used`: when and for which seat the ticket was first checked in (from the 409), if the answer says. */
  | { kind: 'used'; message: string; used: Pick<TicketAlreadyUsedProblem, 'checkedInAt' | 'seat'> | null; scannedAt: string }
  | { kind: 'void'; message: string }
  | { kind: 'forged'; message: string }
  | { kind: 'error'; message: string };

const STYLE: Record<Verdict['kind'], string> = {
  valid: 'bg-emerald-700 text-white',
  used: 'bg-amber-400 text-amber-950',
  void: 'bg-red-700 text-white',
  forged: 'bg-red-700 text-white',
  error: 'bg-slate-800 text-white',
};

const HEADLINE: Record<Verdict['kind'], string> = {
  valid: 'Valid — let them in',
  used: 'Already used',
  void: 'Not valid — refunded or cancelled',
  forged: 'Forged — not a genuine ticket',
  error: 'Could not check this code',
};

/** Type, paste or scan a ticket code and get a big, unmistakable answer. */
export function CheckinPanel() {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [inputError, setInputError] = useState<string | undefined>();
  const [camera, setCamera] = useState(false);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const last = useRef<{ code: string; at: number } | null>(null);

  async function verify(raw: string) {
    const parsed = CheckinInput.safeParse({ code: raw });
    if (!parsed.success) {
      setInputError('Enter or scan a ticket code.');
      return;
    }
    setInputError(undefined);
    setBusy(true);
    try {
      const result = await checkIn(parsed.data.code);
      setVerdict({ kind: 'valid', result });
    } catch (e) {
      if (isProblem(e, 'ticket_already_used')) {
        const used = TicketAlreadyUsedProblem.safeParse(e.body);
        setVerdict({ kind: 'used', message: errorMessage(e), used: used.success ? used.data : null, scannedAt: formatClockTime(new Date().toISOString()) });
      } else if (isProblem(e, 'ticket_forged')) setVerdict({ kind: 'forged', message: errorMessage(e) });
      else if (isProblem(e, 'ticket_void')) setVerdict({ kind: 'void', message: errorMessage(e) });
      else setVerdict({ kind: 'error', message: errorMessage(e) });
    } finally {
      setBusy(false);
      setCode('');
      inputRef.current?.focus();
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void verify(code);
  }

  function onScan(value: string) {
    // The camera sees the same code many times a second: check it once per 3 s.
    const now = Date.now();
    if (busy || (last.current && last.current.code === value && now - last.current.at < 3000)) return;
    last.current = { code: value, at: now };
    void verify(value);
  }

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card className="p-4 sm:p-6">
        <form onSubmit={submit} noValidate className="flex flex-col gap-3">
          <label htmlFor="checkin-code" className="text-sm font-medium text-slate-700">
            Ticket code
          </label>
          <textarea
            id="checkin-code"
            ref={inputRef}
            rows={3}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={(e) => {
              // A USB scanner types the code and presses Enter.
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void verify(code);
              }
            }}
            aria-invalid={inputError ? true : undefined}
            aria-describedby={inputError ? 'checkin-code-err' : 'checkin-code-hint'}
            placeholder="Paste or type the ticket code"
            className="block w-full break-all rounded-lg border-0 px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-600 aria-[invalid=true]:ring-red-500"
          />
          {inputError ? (
            <p id="checkin-code-err" className="text-sm text-red-600">
              {inputError}
            </p>
          ) : (
            <p id="checkin-code-hint" className="text-xs text-slate-500">
              Enter checks the code. A handheld scanner that types and presses Enter works too.
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="lg" loading={busy}>
              Check ticket
            </Button>
            {barcodeScanningSupported() && (
              <Button variant="secondary" size="lg" onClick={() => setCamera((c) => !c)} aria-pressed={camera}>
                {camera ? 'Stop camera' : 'Scan with camera'}
              </Button>
            )}
          </div>
        </form>
        {camera && <CameraScanner onCode={onScan} onError={(m) => setVerdict({ kind: 'error', message: m })} />}
      </Card>

      <div aria-live="assertive" aria-atomic="true">
        {verdict ? (
          <div data-testid="checkin-verdict" data-verdict={verdict.kind} className={cx('flex min-h-56 flex-col justify-center rounded-xl p-6 shadow-sm', STYLE[verdict.kind])}>
            <p className="text-3xl font-extrabold sm:text-4xl">{HEADLINE[verdict.kind]}</p>
            {verdict.kind === 'valid' && (
              <div className="mt-3 text-lg">
                <p className="font-semibold">{verdict.result.eventName}</p>
                <p className="text-2xl font-bold">
                  {verdict.result.seat.section} · Row {verdict.result.seat.row} · Seat {verdict.result.seat.number}
                </p>
                <p className="mt-1 text-sm opacity-90">Checked in at {formatClockTime(verdict.result.checkedInAt)}</p>
              </div>
            )}
            {verdict.kind === 'used' && (
              <div className="mt-3 text-lg">
                {verdict.used ? (
                  <p className="text-2xl font-bold" data-testid="checkin-used-detail">
                    at {formatClockTime(verdict.used.checkedInAt)} — {verdict.used.seat.section}, row {verdict.used.seat.row}, seat {verdict.used.seat.number}
                  </p>
                ) : (
                  <p>{verdict.message} It was checked in earlier.</p>
                )}
                <p className="mt-1 text-sm">Scanned again at {verdict.scannedAt}.</p>
              </div>
            )}
            {(verdict.kind === 'forged' || verdict.kind === 'void' || verdict.kind === 'error') && <p className="mt-3 text-lg">{verdict.message}</p>}
          </div>
        ) : (
          <div className="flex min-h-56 flex-col items-center justify-center rounded-xl border-2 border-dashed border-slate-200 p-6 text-center text-slate-500">
            <p className="text-lg font-medium text-slate-700">Ready to scan</p>
            <p>The answer appears here in big letters.</p>
          </div>
        )}
      </div>
    </div>
  );
}
