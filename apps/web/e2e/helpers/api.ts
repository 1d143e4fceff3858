import { randomUUID } from 'node:crypto';
import { request, type APIRequestContext } from 'playwright-core';
import { baseUrl } from './browser';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
export const FAN = { email: 'fan@example.com', password: 'fan-password-1' };
/** The simulated provider's always-succeeding card. */
export const SUCCESS_CARD = '4242424242424242';

/** A cookie-keeping HTTP client on the stack (its own session), sending the Origin the CSRF check wants. */
export class ApiClient {
  private constructor(readonly http: APIRequestContext) {}

  static async create(): Promise<ApiClient> {
    const http = await request.newContext({ baseURL: baseUrl(), extraHTTPHeaders: { Origin: baseUrl(), Accept: 'application/json' } });
    return new ApiClient(http);
  }

  /** Call /api/v1<path>; throws with the problem body unless the status is one of `ok`. */
  async call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, opts: { headers?: Record<string, string>; ok?: number[] } = {}): Promise<T> {
    const res = await this.http.fetch(`/api/v1${path}`, { method, data: body, headers: opts.headers });
    const ok = opts.ok ?? [200, 201, 204];
    const text = await res.text();
    if (!ok.includes(res.status())) throw new Error(`${method} ${path} → ${res.status()}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async login(who: { email: string; password: string }): Promise<{ id: string; role: string }> {
    return this.call('POST', '/auth/login', who);
  }

  /** Register a fresh fan account (unique e-mail) and stay signed in as them. */
  async registerFan(label = 'fan'): Promise<{ email: string; password: string; id: string }> {
    const email = `${label}-${randomUUID().slice(0, 8)}@e2e.test`;
    const password = 'e2e-password-1';
    const user = await this.call<{ id: string }>('POST', '/auth/register', { email, password, name: `E2E ${label}` });
    return { email, password, id: user.id };
  }

  /** Hold the best available `quantity` seats and pay with the success card; returns the order. */
  async buy(eventId: string, quantity = 1): Promise<{ id: string; totalCents: number; status: string; tickets: { id: string; code: string }[] }> {
    const hold = await this.call<{ id: string }>('POST', `/events/${eventId}/holds`, { quantity });
    return this.call('POST', '/checkout', { holdId: hold.id, payment: { cardNumber: SUCCESS_CARD, expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123', name: 'E2E Fan' } }, { headers: { 'Idempotency-Key': randomUUID() } });
  }

  dispose(): Promise<void> {
    return this.http.dispose();
  }
}

/** The event's seats: label (as the selection panel prints it) → id, and every seat with its availability index. */
export async function seatIndex(api: ApiClient, eventId: string): Promise<{ byLabel: Map<string, string>; all: { id: string; index: number; section: string; row: string; number: string }[] }> {
  const map = await api.call<{ sections: { name: string; rows: { label: string; seats: { id: string; index: number; number: string }[] }[] }[] }>('GET', `/events/${eventId}/seatmap`);
  const byLabel = new Map<string, string>();
  const all: { id: string; index: number; section: string; row: string; number: string }[] = [];
  for (const s of map.sections)
    for (const r of s.rows)
      for (const seat of r.seats) {
        byLabel.set(`${s.name} · Row ${r.label} · Seat ${seat.number}`, seat.id);
        all.push({ id: seat.id, index: seat.index, section: s.name, row: r.label, number: seat.number });
      }
  return { byLabel, all };
}
