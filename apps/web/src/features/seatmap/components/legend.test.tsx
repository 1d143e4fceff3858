import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SeatLegend } from './legend';
import { buildLayout } from '../lib/layout';
import { gridSeatMap } from '../lib/test-fixtures';
import { tierColor } from '../lib/palette';

describe('<SeatLegend>', () => {
  it('when a venue has one price tier, then "Available" is drawn in that tier colour, as the seats on the map are', () => {
    const layout = buildLayout(gridSeatMap(1, 2, 3));
    render(<SeatLegend sections={layout.sections} currency="EUR" />);
    const tierDot = within(screen.getByRole('list', { name: 'Price tiers' }))
      .getByRole('listitem')
      .querySelector('circle')!;
    const available = within(screen.getByRole('list', { name: 'Seat states' }))
      .getByText('Available')
      .querySelector('circle')!;
    expect(tierDot.getAttribute('fill')).toBe(tierColor(layout.sections[0]!.colorIndex));
    expect(available.getAttribute('fill')).toBe(tierDot.getAttribute('fill'));
  });
});
