import type { ReactNode } from 'react';
import { Button } from './button';

/** Shown when a list or page has nothing to show. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed border-slate-200 px-6 py-12 text-center">
      <svg className="h-10 w-10 text-slate-300" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
        <path d="M3 7h18M5 7v12h14V7M9 11h6" />
      </svg>
      <h2 className="text-lg font-semibold text-slate-800">{title}</h2>
      {children && <div className="max-w-md text-slate-600">{children}</div>}
      {action}
    </div>
  );
}

/** Shown when loading failed; `message` is the server's problem `detail`. */
export function ErrorState({ title = 'Something went wrong', message, onRetry, children }: { title?: string; message?: string; onRetry?: () => void; children?: ReactNode }) {
  return (
    <div role="alert" className="flex flex-col items-center justify-center gap-3 rounded-xl bg-red-50 px-6 py-10 text-center ring-1 ring-red-200">
      <svg className="h-10 w-10 text-red-400" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
        <circle cx="12" cy="12" r="9" />
        <path d="M12 7v6M12 16.5v.5" strokeLinecap="round" />
      </svg>
      <h2 className="text-lg font-semibold text-red-900">{title}</h2>
      {message && <p className="max-w-md text-red-800">{message}</p>}
      {children}
      {onRetry && (
        <Button variant="secondary" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}
