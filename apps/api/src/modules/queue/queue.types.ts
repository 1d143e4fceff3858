/** Shapes of the waiting room's Redis answers (queue.store.ts) and who asks (queue.service.ts). */

/** Raw answer of the join / status scripts. */
export interface RawStatus {
  state: 'queued' | 'admitted' | 'not_in_queue' | 'expired';
  /** 0-based rank in the queue, -1 when not queued. */
  rank: number;
  queueLength: number;
  admittedUntilMs: number | null;
  measuredRatePerMinute: number | null;
  configuredRatePerMinute: number | null;
  nowMs: number;
  /** 1 when this call found the caller's entry stale and passed it over. */
  passedOver: number;
}

/** Outcome of one admission tick for one event. */
export interface AdmitResult {
  admitted: { member: string; waitMs: number }[];
  passedOver: number;
  queueLength: number;
  activeShoppers: number;
  /** Admissions of this event before this batch (Redis-side sequence: batch order across instances). */
  admissionsBefore: number;
}

/** The event's admission settings (its facts). */
export interface AdmitSettings {
  admissionRatePerMinute: number;
  maxConcurrentShoppers: number;
}

export interface Who {
  sessionId: string;
  /** '' when not signed in. */
  userId: string;
}
