import { createFileRoute } from '@tanstack/react-router';
import { fetchEvent } from '../../features/events';

export const Route = createFileRoute('/events/$eventId')({
  loader: ({ params, abortController }) => fetchEvent(params.eventId, abortController.signal),
  component: EventPage,
});

function EventPage() {
  const event = Route.useLoaderData();
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <h1 className="text-2xl font-bold">{event.name}</h1>
    </div>
  );
}
