import { createFileRoute } from '@tanstack/react-router';
import { CheckinPanel, PageHeader } from '../../features/admin';

export const Route = createFileRoute('/admin/checkin')({
  component: () => (
    <>
      <PageHeader title="Check-in">Scan or type a ticket code at the door. Each ticket is admitted once.</PageHeader>
      <CheckinPanel />
    </>
  ),
});
