import { redirect } from '@tanstack/react-router';
import type { User } from '@ticketing/shared';
import type { AuthContext } from './auth-context';

interface GuardArgs {
  context: { auth: AuthContext };
  location: { href: string };
}

/** `beforeLoad` guard: the signed-in user, or a redirect to /login that comes back here. */
export async function requireUser({ context, location }: GuardArgs): Promise<{ user: User }> {
  const user = await context.auth.ensure();
  if (!user) throw redirect({ to: '/login', search: { redirect: location.href } });
  return { user };
}

/** `beforeLoad` guard for admin pages: non-admins go home, signed-out users to /login. */
export async function requireAdmin(args: GuardArgs): Promise<{ user: User }> {
  const { user } = await requireUser(args);
  if (user.role !== 'admin') throw redirect({ to: '/' });
  return { user };
}

/** Only same-app paths may be a post-login destination (no open redirect to another site). */
export function safeRedirect(target: string | undefined): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
  return target;
}
