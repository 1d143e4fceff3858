import { create } from 'zustand';
import { cx } from './cx';

export type ToastKind = 'info' | 'success' | 'warning' | 'error';
export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

interface ToastState {
  toasts: Toast[];
  push: (kind: ToastKind, message: string, ttlMs?: number) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;

/** UI state of the toast stack. */
export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push: (kind, message, ttlMs = 6000) => {
    const id = nextId++;
    // The same message twice in a row (e.g. two stream updates) shows once.
    if (get().toasts.some((t) => t.message === message)) return;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, message }] }));
    if (ttlMs > 0) setTimeout(() => get().dismiss(id), ttlMs);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Show a toast from anywhere (also outside React). */
export function toast(kind: ToastKind, message: string, ttlMs?: number): void {
  useToasts.getState().push(kind, message, ttlMs);
}

const STYLE: Record<ToastKind, string> = {
  info: 'bg-slate-900 text-white',
  success: 'bg-emerald-700 text-white',
  warning: 'bg-amber-100 text-amber-950 ring-1 ring-amber-300',
  error: 'bg-red-700 text-white',
};

/** The toast area; polite for info, assertive for errors and warnings. */
export function Toasts() {
  const { toasts, dismiss } = useToasts();
  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4 sm:items-end">
      <div aria-live="polite" role="status" className="contents">
        {toasts
          .filter((t) => t.kind === 'info' || t.kind === 'success')
          .map((t) => (
            <ToastItem key={t.id} t={t} onDismiss={dismiss} />
          ))}
      </div>
      <div aria-live="assertive" role="alert" className="contents">
        {toasts
          .filter((t) => t.kind === 'warning' || t.kind === 'error')
          .map((t) => (
            <ToastItem key={t.id} t={t} onDismiss={dismiss} />
          ))}
      </div>
    </div>
  );
}

function ToastItem({ t, onDismiss }: { t: Toast; onDismiss: (id: number) => void }) {
  return (
    <div className={cx('pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg px-4 py-3 shadow-lg', STYLE[t.kind])}>
      <p className="flex-1 text-sm">{t.message}</p>
      <button type="button" onClick={() => onDismiss(t.id)} className="-m-1 rounded p-1 text-current opacity-70 hover:opacity-100" aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
