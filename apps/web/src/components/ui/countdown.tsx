import { useEffect, useState } from 'react';
import { countdown, spokenDuration } from '../../lib/countdown';
import { clockSkewMs } from '../../lib/server-clock';
import { cx } from './cx';

/** Re-renders every second with the countdown to `expiresAt` (server clock, skew-corrected). */
export function useCountdown(expiresAt: string | undefined, onExpire?: () => void) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!expiresAt) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [expiresAt]);
  const state = expiresAt ? countdown(expiresAt, now, clockSkewMs()) : null;
  const expired = state?.expired ?? false;
  useEffect(() => {
    if (expired) onExpire?.();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expired]);
  return state;
}

/** "Held for 09:41" badge; urgent (red, pulsing) in the last two minutes. */
export function Countdown({ expiresAt, onExpire, label = 'Seats held for' }: { expiresAt: string; onExpire?: () => void; label?: string }) {
  const state = useCountdown(expiresAt, onExpire);
  if (!state) return null;
  const minuteMark = Math.ceil(state.remainingMs / 60000);
  return (
    <div
      className={cx(
        'inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-medium tabular-nums',
        // Urgent: solid red (only the icon pulses, so the text keeps full contrast).
        state.expired ? 'bg-slate-200 text-slate-700' : state.urgent ? 'bg-red-600 text-white ring-1 ring-red-700' : 'bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200',
      )}
      data-urgent={state.urgent || undefined}
    >
      <svg className={cx('h-4 w-4', state.urgent && 'animate-pulse')} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
        <circle cx="12" cy="13" r="8" />
        <path d="M12 9v4l2 2M9 2h6" strokeLinecap="round" />
      </svg>
      {state.expired ? (
        <span>Hold expired</span>
      ) : (
        <span>
          {label} <span aria-hidden="true">{state.label}</span>
          <span className="sr-only">{spokenDuration(state.remainingMs)}</span>
        </span>
      )}
      {/* Announce once a minute (and at the urgent threshold), not every second. */}
      <span className="sr-only" aria-live="polite">
        {state.expired ? 'Your hold has expired.' : state.urgent ? `Hurry: less than ${minuteMark} minute${minuteMark === 1 ? '' : 's'} left.` : `${minuteMark} minutes left.`}
      </span>
    </div>
  );
}
