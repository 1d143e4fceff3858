import { Link, Outlet } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { usePageTitle } from '../../../lib/page-title';

const TABS = [
  { to: '/admin/events', label: 'Events' },
  { to: '/admin/venues', label: 'Venues' },
  { to: '/admin/checkin', label: 'Check-in' },
] as const;

/** The admin area frame: a tab bar over the page. */
export function AdminLayout() {
  return (
    <div className="mx-auto max-w-6xl px-4 py-6">
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-3">
        <p className="text-sm font-semibold uppercase tracking-wide text-slate-500">Admin</p>
        <nav aria-label="Admin" className="-mx-1 flex gap-1 overflow-x-auto">
          {TABS.map((t) => (
            <Link
              key={t.to}
              to={t.to}
              className="whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
              activeProps={{ className: 'bg-brand-50 text-brand-700', 'aria-current': 'page' }}
            >
              {t.label}
            </Link>
          ))}
        </nav>
      </div>
      <Outlet />
    </div>
  );
}

/** A page heading with an optional action on the right. */
export function PageHeader({ title, children, action }: { title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="break-words text-2xl font-bold text-slate-900">{title}</h1>
        {children && <div className="mt-1 text-slate-600">{children}</div>}
      </div>
      {action && <div className="flex shrink-0 flex-wrap gap-2">{action}</div>}
    </div>
  );
}

/** Thrown by the admin guard for a signed-in user who is not an admin. */
export class AdminForbiddenError extends Error {
  constructor() {
    super('Admins only');
    this.name = 'AdminForbiddenError';
  }
}

/** The 403 page a signed-in fan sees in the admin area. */
export function ForbiddenPage() {
  usePageTitle('Admins only');
  return (
    <div className="mx-auto max-w-xl px-4 py-16 text-center">
      <p className="text-5xl font-bold text-slate-300">403</p>
      <h1 className="mt-2 text-2xl font-bold text-slate-900">Admins only</h1>
      <p className="mt-2 text-slate-600">Your account does not have access to the admin area. If you think it should, ask an administrator.</p>
      <Link to="/" className="mt-6 inline-block rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
        Browse events
      </Link>
    </div>
  );
}
