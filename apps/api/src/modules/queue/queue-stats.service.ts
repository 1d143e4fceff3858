import type { EventStats } from '@ticketing/shared';
import type { Services } from '../../app.js';

/**
 * Live sales and waiting-room figures of one event (the admin stats page): seats from the
 * inventory, revenue from the orders, the queue from Redis. 404 for an unknown event.
 */
export async function eventStats(services: Pick<Services, 'queue' | 'inventory' | 'orders'>, eventId: string): Promise<EventStats> {
  const queue = await services.queue.figures(eventId);
  const [counts, revenueCents] = await Promise.all([services.inventory.salesCounts(eventId), services.orders.eventRevenue(eventId)]);
  return {
    sold: counts.sold,
    held: counts.held,
    available: counts.available,
    revenueCents,
    queueLength: queue.queueLength,
    admitted: queue.admitted,
    admissionRatePerMinute: queue.admissionRatePerMinute,
    maxConcurrentShoppers: queue.maxConcurrentShoppers,
    ...(queue.averageWaitSeconds !== undefined ? { averageWaitSeconds: queue.averageWaitSeconds } : {}),
  };
}
