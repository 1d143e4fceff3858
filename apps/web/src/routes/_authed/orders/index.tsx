import { createFileRoute } from '@tanstack/react-router';
import { EmptyState } from '../../../components/ui';

export const Route = createFileRoute('/_authed/orders/')({
  component: () => (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <EmptyState title="My orders">Loading orders is being wired up.</EmptyState>
    </div>
  ),
});
