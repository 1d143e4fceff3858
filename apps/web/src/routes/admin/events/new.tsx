import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { EmptyState, toast } from '../../../components/ui';
import { Link } from '@tanstack/react-router';
import { EventForm, PageHeader, fetchVenues, saveEvent } from '../../../features/admin';
import { usePageTitle } from '../../../lib/page-title';

export const Route = createFileRoute('/admin/events/new')({
  loader: ({ abortController }) => fetchVenues({ limit: 100 }, abortController.signal),
  staleTime: 0,
  component: NewEventPage,
});

function NewEventPage() {
  usePageTitle('New event');
  const venues = Route.useLoaderData();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="New event">Its seats are generated from the venue's layout.</PageHeader>
      {venues.items.length === 0 ? (
        <EmptyState
          title="No venues yet"
          action={
            <Link to="/admin/venues/new" className="font-medium text-brand-700 underline">
              Create a venue
            </Link>
          }
        >
          An event needs a venue with a seat layout.
        </EmptyState>
      ) : (
        <EventForm
          event={null}
          venues={venues.items}
          queue={null}
          onCancel={() => void navigate({ to: '/admin/events' })}
          onSubmit={async (body) => {
            const event = await saveEvent(null, body);
            toast('success', `“${event.name}” was created.`);
            await navigate({ to: '/admin/events/$eventId', params: { eventId: event.id } });
          }}
        />
      )}
    </>
  );
}
