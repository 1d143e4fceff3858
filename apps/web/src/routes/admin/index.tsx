import { createFileRoute, redirect } from '@tanstack/react-router';

/** /admin opens the events list, where most admin work starts. */
export const Route = createFileRoute('/admin/')({
  beforeLoad: () => {
    throw redirect({ to: '/admin/events', replace: true });
  },
});
