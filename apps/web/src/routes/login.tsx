import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { Card } from '../components/ui';
import { LoginForm, safeRedirect } from '../features/auth';
import { usePageTitle } from '../lib/page-title';

export const Route = createFileRoute('/login')({
  validateSearch: z.object({ redirect: z.string().max(2000).optional().catch(undefined) }),
  component: LoginPage,
});

function LoginPage() {
  usePageTitle('Sign in');
  const { redirect } = Route.useSearch();
  const navigate = useNavigate();
  return (
    <div className="mx-auto max-w-md px-4 py-10">
      <Card className="p-6 sm:p-8">
        <h1 className="mb-1 text-2xl font-bold">Sign in</h1>
        <p className="mb-6 text-sm text-slate-600">Sign in to hold seats and see your tickets.</p>
        <LoginForm onSuccess={() => void navigate({ href: safeRedirect(redirect), replace: true })} />
        <p className="mt-6 text-center text-sm text-slate-600">
          New here?{' '}
          <Link to="/register" search={{ redirect }} className="font-medium text-brand-700 underline">
            Create an account
          </Link>
        </p>
      </Card>
    </div>
  );
}
