import type { Queryable } from '../../platform/db.js';

/** The live queue settings of an event as stored in PostgreSQL. */
export interface QueueSettingsRow {
  admissionRatePerMinute: number;
  maxConcurrentShoppers: number;
}

/** Update an event's admission settings; null when the event does not exist. */
export async function updateQueueSettings(
  db: Queryable,
  eventId: string,
  input: { admissionRatePerMinute?: number; maxConcurrentShoppers?: number },
): Promise<QueueSettingsRow | null> {
  const { rows } = await db.query(
    `UPDATE events
        SET admission_rate_per_minute = COALESCE($2, admission_rate_per_minute),
            max_concurrent_shoppers = COALESCE($3, max_concurrent_shoppers),
            updated_at = now()
      WHERE id = $1
      RETURNING admission_rate_per_minute, max_concurrent_shoppers`,
    [eventId, input.admissionRatePerMinute ?? null, input.maxConcurrentShoppers ?? null],
  );
  const r = rows[0];
  return r ? { admissionRatePerMinute: r.admission_rate_per_minute, maxConcurrentShoppers: r.max_concurrent_shoppers } : null;
}
