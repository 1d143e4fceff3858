import { createFileRoute, Link, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { Card } from '../components/ui';
import { RegisterForm, safeRedirect } from '../features/auth';
import { usePageTitle } from '../lib/page-title';

export const Route = createFileRoute('/register')({
  validateSearch: z.object({ redirect: z.string().max(2000).optional().catch(undefined) }),
  component: RegisterPage,
});

function RegisterPage() {
  usePageTitle('Create an account');
  const { redirect } = Route.useSearch();
  const navigate = useNavigate();
  return (
    <div className="mx-auto max-w-md px-4 py-10">
      <Card className="p-6 sm:p-8">
        <h1 className="mb-1 text-2xl font-bold">Create an account</h1>
        <p className="mb-6 text-sm text-slate-600">It takes a few seconds; you need one to hold seats.</p>
        <RegisterForm onSuccess={() => void navigate({ href: safeRedirect(redirect), replace: true })} />
        <p className="mt-6 text-center text-sm text-slate-600">
          Already have an account?{' '}
          <Link to="/login" search={{ redirect }} className="font-medium text-brand-700 underline">
            Sign in
          </Link>
        </p>
      </Card>
    </div>
  );
}
