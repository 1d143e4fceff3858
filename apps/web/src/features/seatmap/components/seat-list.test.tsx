import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { SeatList } from './seat-list';
import { buildLayout } from '../lib/layout';
import { decodeStatuses } from '../lib/availability';
import { gridSeatMap } from '../lib/test-fixtures';

describe('<SeatList> (accessible alternative to the canvas)', () => {
  it('when a section is shown, then only available or picked seats are buttons and pressing one toggles it', () => {
    const layout = buildLayout(gridSeatMap(2, 2, 3));
    // Section A: row 1 = seats 0..2, row 2 = seats 3..5. Seat 1 held, seat 4 sold.
    const statuses = decodeStatuses('ahaasaaaaaaa', layout.size);
    const onToggle = vi.fn();
    render(<SeatList layout={layout} statuses={statuses} revision={0} selected={new Set([3])} currency="EUR" onToggle={onToggle} />);

    const row1 = screen.getByRole('group', { name: /Row 1/ });
    expect(
      within(row1)
        .getAllByRole('button')
        .map((b) => b.getAttribute('aria-label')),
    ).toEqual(['Row 1, seat 1', 'Row 1, seat 3']);
    const picked = screen.getByRole('button', { name: 'Row 2, seat 1' });
    expect(picked.getAttribute('aria-pressed')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: 'Row 1, seat 3' }));
    expect(onToggle).toHaveBeenCalledWith(2);
  });

  it('when another section is chosen, then its rows are listed', () => {
    const layout = buildLayout(gridSeatMap(2, 1, 2));
    render(<SeatList layout={layout} statuses={decodeStatuses('aaaa', 4)} revision={0} selected={new Set()} currency="EUR" onToggle={() => {}} />);
    fireEvent.change(screen.getByLabelText('Section'), { target: { value: '1' } });
    expect(screen.getByRole('region', { name: 'Seats in B' })).toBeTruthy();
  });
});
