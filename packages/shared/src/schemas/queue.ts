import { z } from 'zod';
import { IsoDateTime } from './common.js';

export const QueueState = z.enum(['queued', 'admitted', 'not_in_queue', 'expired']);
export type QueueState = z.infer<typeof QueueState>;

/** A session's place in an event's waiting room. */
export const QueueStatus = z
  .object({
    status: QueueState,
    position: z.number().int().optional(),
    aheadOfYou: z.number().int().optional(),
    estimatedWaitSeconds: z.number().int().optional(),
    admittedUntil: IsoDateTime.optional(),
    /** How long the client should wait before polling again. */
    pollAfterSeconds: z.number().int().optional(),
    onSaleAt: IsoDateTime.optional(),
  })
  .meta({ id: 'QueueStatus' });
export type QueueStatus = z.infer<typeof QueueStatus>;

/** Body of PUT /admin/events/:id/queue. */
export const QueueSettingsInput = z
  .object({
    admissionRatePerMinute: z.number().int().min(1).max(100_000).optional(),
    maxConcurrentShoppers: z.number().int().min(1).max(100_000).optional(),
  })
  .strict()
  .refine((v) => v.admissionRatePerMinute !== undefined || v.maxConcurrentShoppers !== undefined, 'give at least one setting')
  .meta({ id: 'QueueSettingsInput' });
export type QueueSettingsInput = z.infer<typeof QueueSettingsInput>;

export const QueueSettings = z
  .object({ admissionRatePerMinute: z.number().int(), maxConcurrentShoppers: z.number().int() })
  .meta({ id: 'QueueSettings' });
export type QueueSettings = z.infer<typeof QueueSettings>;
