import type { EventCancelResult } from '@ticketing/shared';
import { useState } from 'react';
import { Button, Dialog } from '../../../components/ui';
import { errorMessage } from '../../../lib/api-client';
import { cancelEvent } from '../api/admin-api';

/**
 * Cancel an event after confirmation; shows the refunds summary the server answers.
 * The request is repeatable, so "Try again" after a partial refund failure is safe.
 */
export function CancelEventDialog({ eventId, eventName, sold, open, onClose, onCancelled }: { eventId: string; eventName: string; sold: number; open: boolean; onClose: () => void; onCancelled: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<EventCancelResult | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const r = await cancelEvent(eventId);
      setResult(r);
      onCancelled();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setResult(null);
    setError(null);
    onClose();
  }

  return (
    <Dialog
      open={open}
      title={result ? 'Event cancelled' : `Cancel “${eventName}”?`}
      onClose={close}
      footer={
        result ? (
          <Button onClick={close}>Close</Button>
        ) : (
          <>
            <Button variant="secondary" onClick={close} disabled={busy}>
              Keep the event
            </Button>
            <Button variant="danger" onClick={confirm} loading={busy}>
              {error ? 'Try again' : 'Cancel event and refund'}
            </Button>
          </>
        )
      }
    >
      {result ? (
        <div className="flex flex-col gap-2" role="status">
          {result.alreadyCancelled && <p>The event was already cancelled; nothing was refunded twice.</p>}
          <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
            <dt>Orders refunded</dt>
            <dd className="text-right font-semibold tabular-nums">{result.ordersRefunded}</dd>
            <dt>Refunds that failed</dt>
            <dd className={result.refundsFailed ? 'text-right font-semibold tabular-nums text-red-700' : 'text-right tabular-nums'}>{result.refundsFailed}</dd>
            <dt>Holds released</dt>
            <dd className="text-right tabular-nums">{result.holdsReleased}</dd>
            <dt>Seats released</dt>
            <dd className="text-right tabular-nums">{result.seatsReleased}</dd>
          </dl>
          {result.refundsFailed > 0 && <p className="text-sm text-red-700">Some refunds failed (payment provider unavailable). Cancel again later to retry them; nothing is refunded twice.</p>}
        </div>
      ) : (
        <div className="flex flex-col gap-2">
          <p>
            Every order is refunded{sold > 0 ? ` (${sold.toLocaleString()} sold seat${sold === 1 ? '' : 's'})` : ''}, every hold released, and the event can no longer be sold. This cannot be undone.
          </p>
          {error && (
            <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
