import { createFileRoute } from '@tanstack/react-router';
import { EmptyState } from '../../components/ui';

// Placeholder so the shell's "Admin" link resolves; the admin-area engineer replaces this page.
export const Route = createFileRoute('/admin/')({
  component: () => (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <EmptyState title="Admin">The admin area is being built.</EmptyState>
    </div>
  ),
});
