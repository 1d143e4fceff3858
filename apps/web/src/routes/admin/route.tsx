import { createFileRoute } from '@tanstack/react-router';
import { requireUser } from '../../features/auth';
import { AdminForbiddenError, AdminLayout, ForbiddenPage } from '../../features/admin';
import { ErrorState } from '../../components/ui';
import { errorMessage } from '../../lib/api-client';

/** The admin area: anonymous visitors go to /login (and come back), signed-in fans get a 403 page. */
export const Route = createFileRoute('/admin')({
  beforeLoad: async (args) => {
    const { user } = await requireUser(args);
    if (user.role !== 'admin') throw new AdminForbiddenError();
    return { user };
  },
  component: AdminLayout,
  errorComponent: ({ error, reset }) =>
    error instanceof AdminForbiddenError ? (
      <ForbiddenPage />
    ) : (
      <div className="mx-auto max-w-2xl px-4 py-10">
        <ErrorState message={errorMessage(error)} onRetry={reset} />
      </div>
    ),
});
