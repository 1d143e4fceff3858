import { useState } from 'react';
import type { Order } from '@ticketing/shared';
import { Button, Dialog } from '../../../components/ui';
import { errorMessage } from '../../../lib/api-client';
import { formatMoney } from '../../../lib/format';
import { cancelOrder } from '../api/orders-api';

/** "Cancel order" button with a confirmation dialog; calls `onCancelled` with the refunded order. */
export function CancelOrderButton({ order, onCancelled }: { order: Order; onCancelled: (o: Order) => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const o = await cancelOrder(order.id);
      setOpen(false);
      onCancelled(o);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Cancel order
      </Button>
      <Dialog
        open={open}
        title="Cancel this order?"
        onClose={() => !busy && setOpen(false)}
        footer={
          <>
            <Button variant="ghost" onClick={() => setOpen(false)} disabled={busy} autoFocus>
              Keep my tickets
            </Button>
            <Button variant="danger" loading={busy} onClick={confirm}>
              Cancel and refund {formatMoney(order.totalCents, order.currency)}
            </Button>
          </>
        }
      >
        <p>
          Your {order.tickets.length} ticket{order.tickets.length === 1 ? '' : 's'} will stop working and the seats go back on sale. The full amount is refunded to your card.
        </p>
        {error && (
          <p role="alert" className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
            {error}
          </p>
        )}
      </Dialog>
    </>
  );
}
