import { createFileRoute, useNavigate, useRouter } from '@tanstack/react-router';
import { toast } from '../../../components/ui';
import { EventForm, PageHeader, fetchEvent, fetchEventStats, fetchVenues, saveEvent } from '../../../features/admin';
import { usePageTitle } from '../../../lib/page-title';

export const Route = createFileRoute('/admin/events/$eventId_/edit')({
  loader: async ({ params, abortController }) => {
    const signal = abortController.signal;
    const [event, venues, stats] = await Promise.all([fetchEvent(params.eventId, signal), fetchVenues({ limit: 100 }, signal), fetchEventStats(params.eventId, signal)]);
    return { event, venues, stats };
  },
  staleTime: 0,
  gcTime: 0,
  component: EditEventPage,
});

function EditEventPage() {
  const { event, venues, stats } = Route.useLoaderData();
  usePageTitle(`Edit ${event.name}`);
  const navigate = useNavigate();
  const router = useRouter();
  const back = () => navigate({ to: '/admin/events/$eventId', params: { eventId: event.id } });
  return (
    <>
      <PageHeader title={`Edit “${event.name}”`}>The venue cannot change once the event has seats; create a new event instead.</PageHeader>
      <EventForm
        event={event}
        venues={venues.items}
        queue={stats}
        onCancel={() => void back()}
        onSubmit={async (body) => {
          await saveEvent(event.id, body);
          toast('success', 'Changes saved.');
          await router.invalidate();
          await back();
        }}
      />
    </>
  );
}
