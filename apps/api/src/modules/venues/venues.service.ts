import type { Venue, VenueInput, VenueList } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { withTransaction } from '../../platform/db.js';
import { NotFoundError } from '../../platform/errors.js';
import { findVenueLayout, findVenueSummary, insertVenue, listVenues, replaceVenueLayout, updateVenue } from './venues.repo.js';

/** What venues need from the events module: a venue's name and city feed event search and lists. */
export interface VenuesPorts {
  /** Drop every cached event read (called after a committed venue change). */
  eventReads: { invalidate(): Promise<void> };
}

/** Venues and their seat-layout templates. */
export class VenuesService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'readDb'>,
    private readonly ports: VenuesPorts,
  ) {}

  async list(q: { page: number; limit: number; city?: string }): Promise<VenueList> {
    const { items, total } = await listVenues(this.deps.readDb ?? this.deps.db, { city: q.city, limit: q.limit, offset: (q.page - 1) * q.limit });
    return { items, page: q.page, limit: q.limit, total };
  }

  /** The venue with its full layout; 404 when unknown. */
  async get(id: string, db = this.deps.readDb ?? this.deps.db): Promise<Venue> {
    const summary = await findVenueSummary(db, id);
    if (!summary) throw new NotFoundError('Venue');
    return { ...summary, sections: await findVenueLayout(db, id) };
  }

  /**
   * Create a venue and its layout in one transaction. With a fixed `id` that already exists
   * (the idempotent seed) nothing changes and the existing venue is returned.
   */
  async create(input: VenueInput, opts: { id?: string } = {}): Promise<{ venue: Venue; created: boolean }> {
    const id = await withTransaction(this.deps.db, async (tx) => {
      const newId = await insertVenue(tx, { ...input, id: opts.id });
      if (newId) await replaceVenueLayout(tx, newId, input.sections);
      return newId;
    });
    if (id) await this.changed();
    return { venue: await this.get(id ?? opts.id!, this.deps.db), created: id !== null };
  }

  /** Replace a venue's fields and layout template. Existing events keep their own seat copies. */
  async update(id: string, input: VenueInput): Promise<Venue> {
    await withTransaction(this.deps.db, async (tx) => {
      if (!(await updateVenue(tx, id, input))) throw new NotFoundError('Venue');
      await replaceVenueLayout(tx, id, input.sections);
    });
    await this.changed();
    return this.get(id, this.deps.db);
  }

  private async changed(): Promise<void> {
    await this.ports.eventReads.invalidate();
  }
}
