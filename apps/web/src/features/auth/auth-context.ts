import type { User } from '@ticketing/shared';
import { ensureSession, useSessionStore } from './stores/session-store';

/** What the router's typed context knows about auth; guards call `ensure()` in `beforeLoad`. */
export interface AuthContext {
  /** The user known right now (null while unknown or signed out). */
  current(): User | null;
  /** Resolve the session (one GET /auth/me per page load). */
  ensure(): Promise<User | null>;
}

export const authContext: AuthContext = {
  current: () => useSessionStore.getState().user,
  ensure: () => ensureSession(),
};
