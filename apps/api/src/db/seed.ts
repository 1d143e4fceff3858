import bcrypt from 'bcrypt';
import { createPool } from '../platform/db.js';
import { findUserByEmail, insertUser } from '../modules/auth/auth.repo.js';
import { EventsService } from '../modules/events/events.service.js';
import { markEventCancelled } from '../modules/events/event-write.repo.js';
import { VenuesService } from '../modules/venues/venues.service.js';
import { SEED_USERS, seedEvents, seedVenues, type SeedEvent } from './seed-data.js';

const DAY = 24 * 3600 * 1000;

/** Event times relative to the first seeding: starts at 19:00 UTC on its day, sale opens on the minute. */
function eventTimes(e: SeedEvent, now: number): { startsAt: string; onSaleAt: string } {
  const start = new Date(now + e.startsInDays * DAY);
  start.setUTCHours(19, 0, 0, 0);
  const onSale = new Date(Math.floor((now + e.onSaleInDays * DAY) / 60_000) * 60_000);
  return { startsAt: start.toISOString(), onSaleAt: new Date(Math.min(onSale.getTime(), start.getTime())).toISOString() };
}

export interface SeedReport {
  venuesCreated: number;
  eventsCreated: number;
  seatsGenerated: number;
  usersCreated: number;
}

/**
 * Fill a migrated database with demo data: venues (one 20,000-seat stadium), events in every
 * state, an admin and a fan account. Idempotent: fixed ids and ON CONFLICT DO NOTHING, so a
 * second run changes nothing (event times are computed on the first insert and then kept).
 * Goes through the venue and event services, so the seed builds seats the way the admin API does.
 */
export async function seed(databaseUrl: string, opts: { bcryptRounds?: number } = {}): Promise<SeedReport> {
  const db = createPool(databaseUrl, 4);
  const report: SeedReport = { venuesCreated: 0, eventsCreated: 0, seatsGenerated: 0, usersCreated: 0 };
  try {
    const events = new EventsService({ db });
    const venues = new VenuesService({ db }, { eventReads: events });
    for (const v of seedVenues()) {
      const { created } = await venues.create(v.input, { id: v.id });
      if (created) report.venuesCreated++;
    }
    const now = Date.now();
    for (const e of seedEvents()) {
      const { created, seats } = await events.create(
        {
          name: e.name,
          category: e.category,
          venueId: e.venueId,
          ...eventTimes(e, now),
          highDemand: e.highDemand ?? false,
          ...(e.performer ? { performer: e.performer } : {}),
          ...(e.description ? { description: e.description } : {}),
          currency: 'EUR',
          ...(e.admissionRatePerMinute ? { admissionRatePerMinute: e.admissionRatePerMinute } : {}),
          ...(e.maxConcurrentShoppers ? { maxConcurrentShoppers: e.maxConcurrentShoppers } : {}),
        },
        { id: e.id },
      );
      if (created) {
        report.eventsCreated++;
        report.seatsGenerated += seats;
      }
      // Idempotent on its own (only a not-yet-cancelled event changes), so a run cut short heals.
      if (e.cancelled) await markEventCancelled(db, e.id);
    }
    for (const u of SEED_USERS) {
      if (await findUserByEmail(db, u.email)) continue; // keep the existing account (and its hash) as it is
      const passwordHash = await bcrypt.hash(u.password, opts.bcryptRounds ?? 10);
      if (await insertUser(db, { email: u.email, name: u.name, passwordHash, role: u.role })) report.usersCreated++;
    }
    return report;
  } finally {
    await db.end();
  }
}
