import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { EventSearchParams } from '../search-params';
import { SearchFilters } from './search-filters';

/** The filters over a URL stand-in: every onChange becomes the next `value`, as navigate() does. */
function renderWithUrl(initial: EventSearchParams = {}) {
  const changes: EventSearchParams[] = [];
  const onChange = vi.fn((next: EventSearchParams) => changes.push(next));
  let goTo: (next: EventSearchParams) => void = () => {};
  function Harness() {
    const [search, setSearch] = useState(initial);
    goTo = setSearch;
    return (
      <SearchFilters
        value={search}
        onChange={(next) => {
          onChange(next);
          setSearch(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { onChange, changes, goTo: (next: EventSearchParams) => goTo(next) };
}

const dateInput = (label: 'From' | 'To') => screen.getByLabelText(label) as HTMLInputElement;

describe('<SearchFilters> dates', () => {
  it('when a year is typed digit by digit, then the date applies only once it has four digits, and the field keeps what was typed', () => {
    const { onChange } = renderWithUrl({ from: '2026-05-01' });

    // What the browser reports while "2027" replaces the year of 2026-05-01.
    for (const partial of ['0002-05-01', '0020-05-01', '0202-05-01']) {
      fireEvent.change(dateInput('From'), { target: { value: partial } });
      expect(dateInput('From').value).toBe(partial);
    }
    expect(onChange).not.toHaveBeenCalled();

    fireEvent.change(dateInput('From'), { target: { value: '2027-05-01' } });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith({ from: '2027-05-01', page: undefined });
    expect(dateInput('From').value).toBe('2027-05-01');
  });

  it('when a date is emptied while typing, then nothing applies until the field loses focus, which clears the filter', () => {
    const { onChange } = renderWithUrl({ to: '2026-06-30' });

    fireEvent.change(dateInput('To'), { target: { value: '' } });
    expect(onChange).not.toHaveBeenCalled();

    fireEvent.blur(dateInput('To'));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith({ to: undefined, page: undefined });
  });

  it('when a date field loses focus unchanged, then nothing is applied', () => {
    const { onChange } = renderWithUrl({ from: '2026-05-01' });
    fireEvent.focus(dateInput('From'));
    fireEvent.blur(dateInput('From'));
    expect(onChange).not.toHaveBeenCalled();
  });

  it('when a date is not a real day, then it does not apply on change', () => {
    const { onChange } = renderWithUrl();
    fireEvent.change(dateInput('From'), { target: { value: '2026-02-30' } });
    expect(onChange).not.toHaveBeenCalled();
  });

  it('when a complete date applies, then a search text typed but not yet submitted goes with it', () => {
    const { onChange } = renderWithUrl();
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'Hamlet' } });
    fireEvent.change(dateInput('From'), { target: { value: '2026-07-04' } });
    expect(onChange).toHaveBeenLastCalledWith({ q: 'Hamlet', from: '2026-07-04', page: undefined });
  });
});

describe('<SearchFilters> follows the URL', () => {
  it('when the URL changes (back/forward), then the fields show the new search', () => {
    const { goTo } = renderWithUrl({ q: 'Hamlet', from: '2026-05-01' });
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'Ham' } });

    act(() => goTo({ q: 'Jazz', to: '2026-09-01' }));

    expect((screen.getByLabelText('Search') as HTMLInputElement).value).toBe('Jazz');
    expect(dateInput('From').value).toBe('');
    expect(dateInput('To').value).toBe('2026-09-01');
  });
});
