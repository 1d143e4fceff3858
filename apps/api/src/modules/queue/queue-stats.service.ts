import type { EventStats } from '@ticketing/shared';
import type { Services } from '../../app.js';

interface SalesCounts {
  sold: number;
  held: number;
  available: number;
}
/** What the inventory and orders modules are adding to `Services`; looked up at run time until they land. */
interface SalesSources {
  inventory?: { salesCounts?: (eventId: string) => Promise<SalesCounts> };
  orders?: { eventRevenue?: (eventId: string) => Promise<number> };
}

/** Live sales and waiting-room figures of one event (the admin stats page). 404 for an unknown event. */
export async function eventStats(services: Services, eventId: string): Promise<EventStats> {
  const queue = await services.queue.figures(eventId);
  const src = services as unknown as SalesSources;
  const salesCounts = src.inventory?.salesCounts?.bind(src.inventory);
  const eventRevenue = src.orders?.eventRevenue?.bind(src.orders);
  let sales: SalesCounts & { revenueCents: number };
  if (salesCounts && eventRevenue) {
    const [counts, revenueCents] = await Promise.all([salesCounts(eventId), eventRevenue(eventId)]);
    sales = { sold: counts.sold, held: counts.held, available: counts.available, revenueCents };
  } else {
    sales = await services.queue.salesFallback(eventId);
  }
  return {
    ...sales,
    queueLength: queue.queueLength,
    admitted: queue.admitted,
    admissionRatePerMinute: queue.admissionRatePerMinute,
    maxConcurrentShoppers: queue.maxConcurrentShoppers,
    ...(queue.averageWaitSeconds !== undefined ? { averageWaitSeconds: queue.averageWaitSeconds } : {}),
  };
}
