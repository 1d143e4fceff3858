import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckinPanel } from './checkin-panel';

function answer(status: number, body: unknown) {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } }));
}

function scan(code: string) {
  const input = screen.getByLabelText('Ticket code');
  fireEvent.change(input, { target: { value: code } });
  fireEvent.keyDown(input, { key: 'Enter' });
}

describe('<CheckinPanel>', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('when the ticket was already used, then the verdict says when and for which seat, from the 409 body', async () => {
    const checkedInAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString();
    vi.stubGlobal(
      'fetch',
      answer(409, {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'ticket_already_used',
        detail: 'This ticket has already been used.',
        checkedInAt,
        seat: { section: 'Section A', row: '3', number: '12' },
      }),
    );
    render(<CheckinPanel />);

    scan('T1.some-code');

    const detail = await screen.findByTestId('checkin-used-detail');
    expect(screen.getByTestId('checkin-verdict').getAttribute('data-verdict')).toBe('used');
    const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(checkedInAt));
    expect(detail.textContent).toContain(`at ${time} — Section A, row 3, seat 12`);
    expect(screen.getByText('Already used')).toBeTruthy();
  });

  it('when the 409 carries no details (an older API), then it still says already used, without a time', async () => {
    vi.stubGlobal('fetch', answer(409, { type: 'about:blank', title: 'Conflict', status: 409, code: 'ticket_already_used', detail: 'This ticket has already been used.' }));
    render(<CheckinPanel />);

    scan('T1.some-code');

    await screen.findByText(/This ticket has already been used\. It was checked in earlier\./);
    expect(screen.queryByTestId('checkin-used-detail')).toBeNull();
    expect(screen.getByTestId('checkin-verdict').getAttribute('data-verdict')).toBe('used');
  });
});
