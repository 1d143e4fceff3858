/** How many seats are left, in words a fan cares about. */
export type AvailabilityLevel = 'plenty' | 'limited' | 'sold_out';

/** Sold out at 0; limited under 15 % (or under 50 seats); else plenty. */
export function availabilityLevel(available: number, total: number): AvailabilityLevel {
  if (available <= 0) return 'sold_out';
  if (available < 50 || (total > 0 && available / total < 0.15)) return 'limited';
  return 'plenty';
}
