import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { ErrorState, toast } from '../../components/ui';
import { errorMessage, isProblem } from '../../lib/api-client';
import { requireUser } from '../../features/auth';
import { WaitingRoomView, fetchQueueEvent, forgetStartPosition, leaveQueue, useWaitingRoom } from '../../features/waiting-room';
import { usePageTitle } from '../../lib/page-title';

/**
 * /events/:eventId/queue — the waiting room of a high-demand event. Signed-in users only: holds
 * need an account anyway, and signing in mid-queue would start a new session and lose the place.
 */
export const Route = createFileRoute('/events/$eventId_/queue')({
  beforeLoad: requireUser,
  loader: ({ params, abortController }) => fetchQueueEvent(params.eventId, abortController.signal),
  staleTime: 0,
  component: WaitingRoomPage,
  errorComponent: ({ error, reset }) => (
    <div className="mx-auto max-w-xl px-4 py-10">
      <ErrorState title={isProblem(error, 'not_found') ? 'Event not found' : 'Could not open the waiting room'} message={errorMessage(error)} onRetry={reset}>
        <Link to="/" className="font-medium text-red-900 underline">
          Browse events
        </Link>
      </ErrorState>
    </div>
  ),
});

function WaitingRoomPage() {
  const event = Route.useLoaderData();
  usePageTitle(`Waiting room · ${event.name}`);
  const navigate = useNavigate();
  const noQueue = !event.highDemand;
  const { state, rejoin } = useWaitingRoom(event.id);

  useEffect(() => {
    if (noQueue || state.phase === 'admitted') {
      if (state.phase === 'admitted') toast('success', 'You are in! Pick your seats.');
      void navigate({ to: '/events/$eventId', params: { eventId: event.id }, replace: true });
    }
  }, [noQueue, state.phase, event.id, navigate]);

  async function leave() {
    try {
      await leaveQueue(event.id);
    } catch (e) {
      if (!isProblem(e, 'not_queued')) {
        toast('error', errorMessage(e));
        return;
      }
    }
    forgetStartPosition(event.id);
    toast('info', 'You left the waiting room.');
    // Home, not the event page: that page sends a non-admitted fan straight back here.
    void navigate({ to: '/' });
  }

  return <WaitingRoomView event={event} state={state} onRejoin={rejoin} onLeave={leave} />;
}
