import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseCookie } from 'cookie';
import { unsign } from 'cookie-signature';
import { LRUCache } from 'lru-cache';
import type { CookieOptions } from 'express';
import type { Env } from '../../config/env.js';
import type { Visitor } from './queue.service.js';

/** Name of the waiting-room poll cookie (see queueStatusRoutes in queue.routes.ts). */
export const QUEUE_COOKIE = 'tk.q';
/** The express-session cookie name (app.ts). */
export const SESSION_COOKIE = 'tk.sid';
/** Lifetime of one issued cookie; the normal status route re-issues it on every answer. */
export const QUEUE_COOKIE_TTL_SECONDS = 900;
/** Verified payloads kept (see QueueCookie.verify); the least recently used go first. */
export const VERIFIED_PAYLOADS_MAX = 100_000;

/** A payload whose MAC verified: the MAC (32 bytes as a latin1 string: compact) and what it names. */
interface VerifiedPayload {
  mac: string;
  sessionId: string;
  userId: string | null;
  expiresAtMs: number;
}

/**
 * The small signed cookie that lets a status poll skip the session lookup:
 * `base64url(sessionId "|" userId "|" expiresAtSeconds) "." base64url(HMAC-SHA256(key, payload))`,
 * key = HMAC-SHA256(SESSION_SECRET, "tk.q/v1") (a key of its own, derived from the session secret).
 * It names the caller exactly as the session does (same session id and account), so the lean
 * status route runs the same status script with the same arguments as the normal route. Only the
 * server issues it, and only to the holder of that session. Decision: docs/adr/0007-one-request-pipeline.md.
 */
export class QueueCookie {
  private readonly key: Buffer;
  private readonly sessionSecret: string;
  /**
   * Payloads whose MAC has verified, with that MAC and what they name: a repeated poll costs a
   * lookup and a timing-safe compare instead of an HMAC. Only verified payloads get in, and the
   * given MAC is still compared with the stored one in constant time, so the answer is exactly
   * verify's.
   */
  private readonly verified = new LRUCache<string, VerifiedPayload>({ max: VERIFIED_PAYLOADS_MAX });
  /** How many payloads are kept (for tests). */
  get verifiedCount(): number {
    return this.verified.size;
  }
  readonly options: CookieOptions;

  constructor(env: Pick<Env, 'SESSION_SECRET' | 'COOKIE_SECURE'>) {
    this.sessionSecret = env.SESSION_SECRET;
    this.key = createHmac('sha256', env.SESSION_SECRET).update('tk.q/v1').digest();
    this.options = { httpOnly: true, sameSite: 'lax', secure: env.COOKIE_SECURE, path: '/api/v1/events', maxAge: QUEUE_COOKIE_TTL_SECONDS * 1000 };
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }

  /** The cookie value for this visitor, valid for QUEUE_COOKIE_TTL_SECONDS from `nowMs`. */
  issue(who: Visitor, nowMs = Date.now()): string {
    const exp = Math.floor(nowMs / 1000) + QUEUE_COOKIE_TTL_SECONDS;
    const payload = Buffer.from(`${who.sessionId}|${who.userId ?? ''}|${exp}`).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** The visitor named by a cookie value, or null when it is malformed, forged, altered or expired. */
  verify(value: string, nowMs = Date.now()): Required<Visitor> | null {
    const dot = value.indexOf('.');
    if (dot <= 0 || dot !== value.lastIndexOf('.') || value.length > 512) return null;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const known = this.verified.get(payload);
    const expected = known ? Buffer.from(known.mac, 'latin1') : this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const entry = known ?? this.remember(payload, expected);
    if (!entry) return null;
    if (!(entry.expiresAtMs > nowMs)) {
      this.verified.delete(payload);
      return null;
    }
    return { sessionId: entry.sessionId, userId: entry.userId };
  }

  /**
   * The visitor of a request's Cookie header when its poll cookie verifies AND its session cookie
   * (express-session's signed `tk.sid`, checked with the same `cookie-signature` express-session
   * uses) names the same session; null otherwise. After sign-in (a new session) or sign-out the
   * poll cookie therefore no longer applies.
   */
  visitorOf(cookieHeader: string | undefined, nowMs = Date.now()): Required<Visitor> | null {
    if (!cookieHeader) return null;
    const cookies = parseCookie(cookieHeader);
    const q = cookies[QUEUE_COOKIE];
    const sid = cookies[SESSION_COOKIE];
    if (!q || !sid?.startsWith('s:')) return null;
    const who = this.verify(q, nowMs);
    if (!who) return null;
    return unsign(sid.slice(2), this.sessionSecret) === who.sessionId ? who : null;
  }

  /** Parse a payload whose MAC verified and keep it; null when it is not a well-formed payload. */
  private remember(payload: string, mac: Buffer): VerifiedPayload | null {
    const parts = Buffer.from(payload, 'base64url').toString().split('|');
    if (parts.length !== 3) return null;
    const [sessionId, userId, exp] = parts as [string, string, string];
    if (!sessionId) return null;
    const entry = { mac: mac.toString('latin1'), sessionId, userId: userId || null, expiresAtMs: Number(exp) * 1000 };
    this.verified.set(payload, entry);
    return entry;
  }
}
