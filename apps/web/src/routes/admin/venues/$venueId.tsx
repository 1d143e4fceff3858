import { createFileRoute, Link, useNavigate, useRouter } from '@tanstack/react-router';
import { ErrorState, toast } from '../../../components/ui';
import { errorMessage, isProblem } from '../../../lib/api-client';
import { PageHeader, VenueEditor, fetchVenue, saveVenue } from '../../../features/admin';
import { usePageTitle } from '../../../lib/page-title';

export const Route = createFileRoute('/admin/venues/$venueId')({
  loader: ({ params, abortController }) => fetchVenue(params.venueId, abortController.signal),
  staleTime: 0,
  gcTime: 0,
  component: EditVenuePage,
  errorComponent: ({ error, reset }) => (
    <ErrorState title={isProblem(error, 'not_found') ? 'Venue not found' : 'Could not load this venue'} message={errorMessage(error)} onRetry={isProblem(error, 'not_found') ? undefined : reset}>
      <Link to="/admin/venues" className="font-medium text-red-900 underline">
        Back to venues
      </Link>
    </ErrorState>
  ),
});

function EditVenuePage() {
  const venue = Route.useLoaderData();
  usePageTitle(`Edit ${venue.name}`);
  const navigate = useNavigate();
  const router = useRouter();
  return (
    <>
      <PageHeader title={`Edit “${venue.name}”`}>Changes apply to events created afterwards; existing events keep their seats.</PageHeader>
      <VenueEditor
        key={venue.id}
        venue={venue}
        onCancel={() => void navigate({ to: '/admin/venues' })}
        onSubmit={async (body) => {
          await saveVenue(venue.id, body);
          toast('success', 'Venue saved.');
          await router.invalidate();
          await navigate({ to: '/admin/venues' });
        }}
      />
    </>
  );
}
