export { authContext, type AuthContext } from './auth-context';
export { useCurrentUser, useAuthActions, useSessionKnown } from './hooks';
export { ensureSession } from './stores/session-store';
export { LoginForm } from './components/login-form';
export { RegisterForm } from './components/register-form';
export { requireUser, requireAdmin, safeRedirect } from './guards';
