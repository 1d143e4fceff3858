/** Fill colours of price tiers, most expensive first (distinct in hue and lightness). */
export const TIER_COLORS = ['#7c3aed', '#2563eb', '#0d9488', '#65a30d', '#d97706', '#e11d48', '#0891b2', '#9333ea'];

/** Tier colour for a palette index. */
export function tierColor(colorIndex: number): string {
  return TIER_COLORS[((colorIndex % TIER_COLORS.length) + TIER_COLORS.length) % TIER_COLORS.length]!;
}

export const HELD_STROKE = '#94a3b8';
export const SOLD_FILL = '#cbd5e1';
export const SOLD_CROSS = '#64748b';
export const SELECTED_FILL = '#0f172a';
export const FOCUS_RING = '#f59e0b';
