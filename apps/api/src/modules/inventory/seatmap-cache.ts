import type pg from 'pg';
import { LRUCache } from 'lru-cache';
import { findLayoutVersion, loadLayout, type LayoutSectionRow } from './inventory.repo.js';
import type { PickRow, PickSeat } from './best-available.js';

/** A built seat map: the serialized body and what best-available needs, per layout version. */
export interface Layout {
  eventId: string;
  layoutVersion: number;
  etag: string;
  /** The serialized seat map (JSON, UTF-8). */
  body: Buffer;
  rows: PickRow[];
  sections: LayoutSectionRow[];
  seatCount: number;
}

/**
 * In-process LRU of built seat maps keyed by event id and layout version. The version is read
 * per request (one primary-key lookup), so an organizer's layout edit (which bumps
 * layout_version) is seen at once; a 20,000-seat map is built from SQL once per version, and
 * concurrent first reads share one build (lru-cache's `fetch`).
 */
export class SeatmapCache {
  private readonly entries: LRUCache<string, Layout, { eventId: string; version: number }>;

  constructor(
    private readonly db: pg.Pool,
    max = 64,
  ) {
    this.entries = new LRUCache({ max, fetchMethod: (_key, _stale, { context }) => this.build(context.eventId, context.version) });
  }

  /** The layout of the event at its current version, or null when the event does not exist. */
  async get(eventId: string): Promise<Layout | null> {
    const version = await findLayoutVersion(this.db, eventId);
    if (version == null) return null;
    return this.getAt(eventId, version);
  }

  /** The current layout version without building anything (null when the event does not exist). */
  version(eventId: string): Promise<number | null> {
    return findLayoutVersion(this.db, eventId);
  }

  async getAt(eventId: string, version: number): Promise<Layout> {
    const layout = await this.entries.fetch(`${eventId}:${version}`, { context: { eventId, version } });
    if (!layout) throw new Error(`seat map of ${eventId} v${version} could not be built`);
    return layout;
  }

  private async build(eventId: string, version: number): Promise<Layout> {
    const { sections, seats } = await loadLayout(this.db, eventId);
    const byId = new Map(sections.map((s) => [s.id, s]));
    let maxX = 0;
    let maxY = 0;
    type OutRow = { label: string; seats: { id: string; index: number; number: string; x: number; y: number; accessible?: boolean }[] };
    const outSections = sections.map((s) => ({ id: s.id, name: s.name, priceTier: s.priceTier, priceCents: s.priceCents, rows: [] as OutRow[] }));
    const outById = new Map(outSections.map((s) => [s.id, s]));
    const pickRows: PickRow[] = [];
    let cur: { key: string; out: OutRow; pick: PickRow } | null = null;
    for (const seat of seats) {
      maxX = Math.max(maxX, seat.x);
      maxY = Math.max(maxY, seat.y);
      const sec = byId.get(seat.sectionId)!;
      const rowKey = `${seat.sectionId}:${seat.rowPosition}:${seat.rowLabel}`;
      if (!cur || cur.key !== rowKey) {
        const out: OutRow = { label: seat.rowLabel, seats: [] };
        outById.get(seat.sectionId)!.rows.push(out);
        const pick: PickRow = { sectionId: seat.sectionId, priceTier: sec.priceTier, priceCents: sec.priceCents, rowPosition: seat.rowPosition, seats: [] };
        pickRows.push(pick);
        cur = { key: rowKey, out, pick };
      }
      cur.out.seats.push({ id: seat.id, index: seat.index, number: seat.number, x: seat.x, y: seat.y, ...(seat.accessible ? { accessible: true } : {}) });
      const ps: PickSeat = {
        id: seat.id,
        index: seat.index,
        sectionId: seat.sectionId,
        priceTier: sec.priceTier,
        priceCents: sec.priceCents,
        rowKey,
        rowPosition: seat.rowPosition,
        seatPosition: seat.seatPosition,
      };
      cur.pick.seats.push(ps);
    }
    // Seat coordinates are seat centres; leave one seat pitch (10 units) of margin.
    const body = Buffer.from(JSON.stringify({ eventId, width: Math.ceil(maxX) + 10, height: Math.ceil(maxY) + 10, sections: outSections }), 'utf8');
    return { eventId, layoutVersion: version, etag: layoutEtag(eventId, version), body, rows: pickRows, sections, seatCount: seats.length };
  }
}

export function layoutEtag(eventId: string, version: number): string {
  return `"sm-${eventId}-${version}"`;
}
