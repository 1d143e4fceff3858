import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { toast } from '../../../components/ui';
import { PageHeader, VenueEditor, saveVenue } from '../../../features/admin';
import { usePageTitle } from '../../../lib/page-title';

export const Route = createFileRoute('/admin/venues/new')({
  component: NewVenuePage,
});

function NewVenuePage() {
  usePageTitle('New venue');
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="New venue">Add sections, generate their rows, and check the preview.</PageHeader>
      <VenueEditor
        venue={null}
        onCancel={() => void navigate({ to: '/admin/venues' })}
        onSubmit={async (body) => {
          const v = await saveVenue(null, body);
          toast('success', `“${v.name}” was created with ${v.totalSeats.toLocaleString()} seats.`);
          await navigate({ to: '/admin/venues' });
        }}
      />
    </>
  );
}
