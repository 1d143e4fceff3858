import { cx } from './cx';

/** A spinning indicator; `label` is announced to screen readers (empty = decorative). */
export function Spinner({ size = 'md', label = 'Loading…', className }: { size?: 'sm' | 'md' | 'lg'; label?: string; className?: string }) {
  const px = size === 'sm' ? 'h-4 w-4' : size === 'lg' ? 'h-10 w-10' : 'h-6 w-6';
  return (
    <span role={label ? 'status' : undefined} className={cx('inline-flex items-center gap-2', className)}>
      <svg className={cx('animate-spin text-current', px)} viewBox="0 0 24 24" fill="none" aria-hidden="true">
        <circle cx="12" cy="12" r="10" stroke="currentColor" strokeWidth="3" className="opacity-25" />
        <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
      </svg>
      {label && <span className="sr-only">{label}</span>}
    </span>
  );
}

/** A centred spinner for a whole page or panel. */
export function PageSpinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="flex min-h-[40vh] flex-col items-center justify-center gap-3 text-slate-500">
      <Spinner size="lg" label={label} />
      <p aria-hidden="true">{label}</p>
    </div>
  );
}
