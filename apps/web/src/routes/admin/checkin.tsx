import { createFileRoute } from '@tanstack/react-router';
import { CheckinPanel, PageHeader } from '../../features/admin';
import { usePageTitle } from '../../lib/page-title';

export const Route = createFileRoute('/admin/checkin')({
  component: CheckinPage,
});

function CheckinPage() {
  usePageTitle('Check-in');
  return (
    <>
      <PageHeader title="Check-in">Scan or type a ticket code at the door. Each ticket is admitted once.</PageHeader>
      <CheckinPanel />
    </>
  );
}
