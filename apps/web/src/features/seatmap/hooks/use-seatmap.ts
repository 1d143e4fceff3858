import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { Availability, SeatMap } from '@ticketing/shared';
import { buildLayout } from '../lib/layout';
import { measureLayout } from '../lib/seatmap-timing';
import { SpatialGrid } from '../lib/spatial-grid';
import { LiveAvailability } from './live-availability';

/** Layout + spatial index, built once per seat map (timed as the `seatmap:layout` measure). */
export function useSeatLayout(map: SeatMap) {
  return useMemo(
    () =>
      measureLayout(
        ({ layout }) => layout.order.length,
        () => buildSeatIndex(map),
      ),
    [map],
  );
}

function buildSeatIndex(map: SeatMap) {
  const layout = buildLayout(map);
  // ~3 seats per cell side: a point query touches a few dozen seats at most.
  const grid = new SpatialGrid(layout.xs, layout.ys, layout.order, layout.bounds, (layout.seatRadius / 0.4) * 3);
  return { layout, grid };
}

/** Live seat statuses for one event (SSE with snapshot refetch and polling fallback). */
export function useLiveAvailability(eventId: string, initial: Availability, size: number) {
  // A new event or a fresh snapshot from the loader starts a new live feed.
  const live = useMemo(() => new LiveAvailability(eventId, initial, size), [eventId, initial, size]);
  useEffect(() => {
    live.start();
    return () => live.stop();
  }, [live]);
  const snapshot = useSyncExternalStore(live.subscribe, live.getSnapshot, live.getSnapshot);
  return { live, snapshot };
}
