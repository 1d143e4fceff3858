import { useCallback } from 'react';
import { useRouter } from '@tanstack/react-router';
import type { LoginInput, RegisterInput, User } from '@ticketing/shared';
import * as authApi from './api/auth-api';
import { useSessionStore } from './stores/session-store';

/** The signed-in user (null when signed out or not yet known). */
export function useCurrentUser(): User | null {
  return useSessionStore((s) => s.user);
}

/** False until GET /auth/me has answered once (the header waits before showing Sign in). */
export function useSessionKnown(): boolean {
  return useSessionStore((s) => s.status === 'ready');
}

/** Sign in/up/out; each re-runs the route guards and loaders for the new session. */
export function useAuthActions() {
  const router = useRouter();
  const setUser = useSessionStore((s) => s.setUser);
  const signIn = useCallback(
    async (body: LoginInput) => {
      const user = await authApi.login(body);
      setUser(user);
      await router.invalidate();
      return user;
    },
    [router, setUser],
  );
  const signUp = useCallback(
    async (body: RegisterInput) => {
      const user = await authApi.register(body);
      setUser(user);
      await router.invalidate();
      return user;
    },
    [router, setUser],
  );
  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setUser(null);
      await router.invalidate();
    }
  }, [router, setUser]);
  return { signIn, signUp, signOut };
}
