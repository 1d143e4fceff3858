import type { HTMLAttributes } from 'react';
import { cx } from './cx';

/** A white panel with a border. */
export function Card({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cx('rounded-xl bg-white shadow-sm ring-1 ring-slate-200', className)} {...rest} />;
}
