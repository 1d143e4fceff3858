import { createFileRoute, Outlet } from '@tanstack/react-router';
import { requireUser } from '../features/auth';

/** Pathless layout: every route under `_authed/` needs a signed-in user. */
export const Route = createFileRoute('/_authed')({
  beforeLoad: requireUser,
  component: Outlet,
});
