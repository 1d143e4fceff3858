const PREFIX = 'checkout-attempt:';

/** Minimal Storage for tests and private-mode browsers where sessionStorage throws. */
export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function defaultStorage(): KeyStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

const memory = new Map<string, string>();
const memoryStorage: KeyStorage = {
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => void memory.set(k, v),
  removeItem: (k) => void memory.delete(k),
};

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The Idempotency-Key of the checkout attempt for one hold. The same key is returned across
 * retries, double clicks and page reloads (it lives in sessionStorage next to the hold id), so
 * the server can never charge twice; another hold gets another key.
 */
export function attemptKey(holdId: string, storage: KeyStorage = defaultStorage() ?? memoryStorage): string {
  const existing = storage.getItem(PREFIX + holdId);
  if (existing) return existing;
  const key = newKey();
  storage.setItem(PREFIX + holdId, key);
  return key;
}

/**
 * Start a new attempt for the same hold. Only after a FINAL answer for the old key (a decline,
 * or "key used with a different request"): the server replays a stored outcome for a key, so
 * paying with another card needs a new one. Never after a timeout or 503: those retry as-is.
 */
export function renewAttemptKey(holdId: string, storage: KeyStorage = defaultStorage() ?? memoryStorage): string {
  storage.removeItem(PREFIX + holdId);
  return attemptKey(holdId, storage);
}

/** Forget the key once the order exists. */
export function forgetAttemptKey(holdId: string, storage: KeyStorage = defaultStorage() ?? memoryStorage): void {
  storage.removeItem(PREFIX + holdId);
}
