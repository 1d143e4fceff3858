import { User, type LoginInput, type RegisterInput } from '@ticketing/shared';
import { api, isProblem } from '../../../lib/api-client';

/** The signed-in user, or null when there is no session (401). */
export async function fetchMe(): Promise<User | null> {
  try {
    return await api('/auth/me', { schema: User });
  } catch (e) {
    if (isProblem(e, 'unauthenticated') || (e instanceof Error && 'status' in e && (e as { status: number }).status === 401)) return null;
    throw e;
  }
}

export function login(body: LoginInput): Promise<User> {
  return api('/auth/login', { method: 'POST', body, schema: User });
}

export function register(body: RegisterInput): Promise<User> {
  return api('/auth/register', { method: 'POST', body, schema: User });
}

export function logout(): Promise<void> {
  return api('/auth/logout', { method: 'POST' });
}
