import type { EventStats } from '@ticketing/shared';
import type { QueueFigures } from './queue.service.js';

/** What the operator's stats view needs from the waiting room, the inventory and the orders. */
export interface EventStatsPorts {
  waitingRoom: { figures(eventId: string): Promise<QueueFigures> };
  seats: { salesCounts(eventId: string): Promise<{ available: number; held: number; sold: number }> };
  revenue: { eventRevenue(eventId: string): Promise<number> };
}

/**
 * Live sales and waiting-room figures of one event (the admin stats page): seats from the
 * inventory, revenue from the orders, the queue from Redis. 404 for an unknown event.
 */
export class EventStatsService {
  constructor(private readonly ports: EventStatsPorts) {}

  async eventStats(eventId: string): Promise<EventStats> {
    const queue = await this.ports.waitingRoom.figures(eventId);
    const [counts, revenueCents] = await Promise.all([this.ports.seats.salesCounts(eventId), this.ports.revenue.eventRevenue(eventId)]);
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
}
