import { createRouter } from '@tanstack/react-router';
import { routeTree } from './routeTree.gen';
import { authContext, type AuthContext } from './features/auth';
import { ErrorState, PageSpinner } from './components/ui';
import { errorMessage } from './lib/api-client';

/** The typed context every route's `beforeLoad` and `loader` receives. */
export interface RouterContext {
  auth: AuthContext;
}

/** Build the app router (a function so tests can build their own). */
export function createAppRouter() {
  return createRouter({
    routeTree,
    context: { auth: authContext },
    defaultPreload: 'intent',
    // Loader results are the client's cache of server data; 10 s keeps back/forward instant.
    defaultStaleTime: 10_000,
    defaultPreloadStaleTime: 10_000,
    defaultPendingMs: 250,
    defaultPendingComponent: () => <PageSpinner />,
    defaultErrorComponent: ({ error, reset }) => (
      <div className="mx-auto max-w-2xl px-4 py-10">
        <ErrorState message={errorMessage(error)} onRetry={reset} />
      </div>
    ),
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
