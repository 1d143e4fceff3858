import { createRootRouteWithContext, Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import type { RouterContext } from '../router';
import { useAuthActions, useCurrentUser, useSessionKnown } from '../features/auth';
import { Button, EmptyState, PageSpinner, Toasts, toast, cx } from '../components/ui';

export const Route = createRootRouteWithContext<RouterContext>()({
  // Ask for the session at once but do not block the layout on it: the header renders
  // immediately (no blank page) and guards/loaders that need the user await `auth.ensure()`.
  beforeLoad: ({ context }) => {
    void context.auth.ensure();
  },
  component: RootLayout,
  // The first load shows the page frame with a spinner at once instead of an empty page.
  pendingMs: 0,
  // …and leaves as soon as the page is ready (the default keeps a shown spinner for 500 ms).
  pendingMinMs: 0,
  pendingComponent: () => (
    <div className="flex min-h-screen flex-col">
      <div className="h-16 border-b border-slate-200 bg-white" />
      <PageSpinner />
    </div>
  ),
  notFoundComponent: () => (
    <div className="mx-auto max-w-2xl px-4 py-12">
      <EmptyState
        title="Page not found"
        action={
          <Link to="/" className="font-medium text-brand-700 underline">
            Browse events
          </Link>
        }
      >
        The page you asked for does not exist.
      </EmptyState>
    </div>
  ),
});

function RootLayout() {
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only z-50 rounded bg-white px-3 py-2 focus:not-sr-only focus:fixed focus:left-2 focus:top-2">
        Skip to content
      </a>
      <Header />
      <main id="main" className="flex-1" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 py-6 text-center text-xs text-slate-500">Seatwise — reserved-seat ticketing</footer>
      <Toasts />
    </div>
  );
}

function Header() {
  const user = useCurrentUser();
  const sessionKnown = useSessionKnown();
  const { signOut } = useAuthActions();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });

  const linkClass = 'rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100';
  const activeProps = { className: 'bg-brand-50 text-brand-700' };

  async function onSignOut() {
    await signOut();
    toast('info', 'You are signed out.');
    void navigate({ to: '/' });
  }

  const nav = (
    <>
      <Link to="/" className={linkClass} activeProps={activeProps} activeOptions={{ exact: true, includeSearch: false }}>
        Events
      </Link>
      <Link to="/orders" className={linkClass} activeProps={activeProps}>
        My orders
      </Link>
      {user?.role === 'admin' && (
        <Link to="/admin" className={linkClass} activeProps={activeProps}>
          Admin
        </Link>
      )}
      {!sessionKnown ? (
        <span className="inline-block h-8 w-20" aria-hidden="true" />
      ) : user ? (
        <Button variant="ghost" size="sm" onClick={onSignOut} className="justify-start sm:justify-center">
          Sign out<span className="sr-only"> ({user.name})</span>
        </Button>
      ) : (
        <Link to="/login" search={{ redirect: pathname === '/login' ? undefined : pathname }} className={cx(linkClass, 'text-brand-700')}>
          Sign in
        </Link>
      )}
    </>
  );

  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex h-16 max-w-7xl items-center gap-3 px-4">
        <Link to="/" className="flex shrink-0 items-center gap-2 rounded-md font-bold text-slate-900" aria-label="Seatwise home">
          <svg className="h-8 w-8" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#4f46e5" />
            <path d="M8 20h16v4H8zM10 10h12v8H10z" fill="#fff" />
          </svg>
          <span className="hidden sm:inline">Seatwise</span>
        </Link>
        <HeaderSearch />
        <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
          {nav}
        </nav>
        <button
          type="button"
          className="rounded-md p-2 text-slate-700 hover:bg-slate-100 md:hidden"
          aria-expanded={menuOpen}
          aria-controls="mobile-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span className="sr-only">Menu</span>
          <svg className="h-6 w-6" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
            <path d={menuOpen ? 'M6 6l12 12M18 6L6 18' : 'M4 7h16M4 12h16M4 17h16'} strokeLinecap="round" />
          </svg>
        </button>
      </div>
      {menuOpen && (
        <nav id="mobile-nav" aria-label="Main" className="flex flex-col gap-1 border-t border-slate-200 px-4 py-2 md:hidden" onClick={() => setMenuOpen(false)}>
          {nav}
        </nav>
      )}
    </header>
  );
}

function HeaderSearch() {
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    void navigate({ to: '/', search: { q: q.trim() || undefined } });
  }
  return (
    <form role="search" onSubmit={submit} className="min-w-0 flex-1">
      <label htmlFor="header-search" className="sr-only">
        Search events
      </label>
      <div className="relative max-w-md">
        <svg className="pointer-events-none absolute left-3 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-400" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5" strokeLinecap="round" />
        </svg>
        <input
          id="header-search"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Search artists, teams, venues…"
          className="block w-full rounded-full border-0 bg-slate-100 py-2 pl-9 pr-3 text-sm text-slate-900 placeholder:text-slate-500 focus:bg-white focus:ring-2 focus:ring-brand-600"
        />
      </div>
    </form>
  );
}
