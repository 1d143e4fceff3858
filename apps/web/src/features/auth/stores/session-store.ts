import { create } from 'zustand';
import type { User } from '@ticketing/shared';
import { fetchMe } from '../api/auth-api';

export type SessionStatus = 'unknown' | 'loading' | 'ready';

interface SessionState {
  user: User | null;
  status: SessionStatus;
  setUser: (user: User | null) => void;
}

/** Who is signed in. Filled once from GET /auth/me, then by login/logout answers. */
export const useSessionStore = create<SessionState>((set) => ({
  user: null,
  status: 'unknown',
  setUser: (user) => set({ user, status: 'ready' }),
}));

let inflight: Promise<User | null> | null = null;

/** Resolve the current user, asking the server once per page load (or after `refresh`). */
export function ensureSession(refresh = false): Promise<User | null> {
  const s = useSessionStore.getState();
  if (s.status === 'ready' && !refresh) return Promise.resolve(s.user);
  if (inflight && !refresh) return inflight;
  useSessionStore.setState({ status: s.status === 'ready' ? 'ready' : 'loading' });
  inflight = fetchMe()
    .then((user) => {
      useSessionStore.getState().setUser(user);
      return user;
    })
    .catch(() => {
      // The API is down: behave as signed out; protected pages will ask to sign in.
      useSessionStore.getState().setUser(null);
      return null;
    })
    .finally(() => {
      inflight = null;
    });
  return inflight;
}
