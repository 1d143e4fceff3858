import type { AppDeps } from '../../app.js';
import { ForbiddenError } from '../../platform/errors.js';
import type { EventSaleInfo } from '../events/event-sale.repo.js';

/** Who is shopping: the signed-in account and the browser session. */
export interface Shopper {
  userId: string;
  sessionId: string;
}

/**
 * Virtual waiting room. INTERFACE SKELETON: the waiting-room work replaces the bodies below.
 * Until then a high-demand event refuses every hold (safe default), others need no queue.
 */
export class QueueService {
  constructor(private readonly deps: AppDeps) {}

  /** Throws 403 `not_admitted` when the event needs a waiting-room admission this shopper lacks. */
  async assertAdmitted(event: Pick<EventSaleInfo, 'id' | 'highDemand'>, _who: Shopper): Promise<void> {
    if (!event.highDemand) return;
    throw new ForbiddenError('Join the waiting room for this event first.', 'not_admitted');
  }

  /** Free the shopper's admission slot at once (called after a completed checkout). */
  async finishShopping(_eventId: string, _who: Shopper): Promise<void> {
    void this.deps;
  }
}
