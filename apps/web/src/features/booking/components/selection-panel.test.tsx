import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SelectionPanel } from './selection-panel';
import { selectionStore } from '../stores/selection-store';

const EVENT = '11111111-1111-4111-8111-111111111111';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function renderPanel(onSeatsGone = vi.fn()) {
  render(
    <SelectionPanel
      eventId={EVENT}
      currency="EUR"
      sections={[]}
      signedIn
      onSale
      indexOf={(s) => Number(s.slice(-12))}
      onSeatsGone={onSeatsGone}
      onNeedLogin={() => {}}
      onNeedQueue={() => {}}
      onCheckout={() => {}}
    />,
  );
  return onSeatsGone;
}

describe('<SelectionPanel>', () => {
  beforeEach(() => {
    selectionStore.getState().forEvent('');
    selectionStore.getState().forEvent(EVENT);
    for (const n of [1, 2]) selectionStore.getState().toggle({ id: id(n), index: n, section: 'A', row: '1', number: String(n), priceCents: 4500 });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('when the hold answers 409 with unavailableSeatIds, then those seats leave the selection, the map is told, and a message names them', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        new Response(JSON.stringify({ type: 'about:blank', title: 'Seats unavailable', status: 409, code: 'seats_unavailable', unavailableSeatIds: [id(2)] }), {
          status: 409,
          headers: { 'Content-Type': 'application/problem+json' },
        }),
      ),
    );
    const onSeatsGone = renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Hold seats' }));
    await screen.findByText(/A row 1 seat 2 was just taken/);
    expect(onSeatsGone).toHaveBeenCalledWith([id(2)]);
    expect(selectionStore.getState().picked.map((p) => p.id)).toEqual([id(1)]);
    expect(screen.getByText('1 / 6 seats')).toBeTruthy();
  });

  it('when the hold succeeds, then the panel shows the held seats, total and countdown', async () => {
    const hold = {
      id: '22222222-2222-4222-8222-222222222222',
      eventId: EVENT,
      seats: [1, 2].map((n) => ({ id: id(n), section: 'A', row: '1', number: String(n), priceCents: 4500 })),
      totalCents: 9000,
      currency: 'EUR',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(hold), { status: 201, headers: { 'Content-Type': 'application/json' } })));
    renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Hold seats' }));
    await screen.findByRole('heading', { name: 'Your seats are held' });
    expect(screen.getByText('€90')).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/Seats held for/)).toBeTruthy());
  });
});
