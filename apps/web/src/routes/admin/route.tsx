import { createFileRoute, Outlet } from '@tanstack/react-router';
import { requireAdmin } from '../../features/auth';

/** The admin area: admins only (owned by the admin-area engineer; this file only guards it). */
export const Route = createFileRoute('/admin')({
  beforeLoad: requireAdmin,
  component: Outlet,
});
