import type { Ticket } from '@ticketing/shared';
import { ticketQrUrl } from '../api/orders-api';

/** One ticket: seat, QR code (served by the API as SVG) and its code for manual entry. */
export function TicketCard({ ticket, eventName, void: isVoid }: { ticket: Ticket; eventName: string; void?: boolean }) {
  const label = `${ticket.seat.section}, row ${ticket.seat.row}, seat ${ticket.seat.number}`;
  return (
    <li className="flex flex-col items-center gap-3 rounded-xl bg-white p-4 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold">
        {ticket.seat.section} · Row {ticket.seat.row} · Seat {ticket.seat.number}
      </p>
      {isVoid ? (
        <div className="flex h-40 w-40 items-center justify-center rounded-lg bg-slate-100 text-sm text-slate-500">Ticket void</div>
      ) : (
        <img src={ticketQrUrl(ticket.id)} alt={`QR code for ${eventName}, ${label}`} width={160} height={160} loading="lazy" className="h-40 w-40" />
      )}
      <p className="max-w-full break-all font-mono text-[10px] leading-tight text-slate-500" title="Ticket code">
        {ticket.code}
      </p>
      {ticket.checkedInAt && <p className="text-xs font-medium text-emerald-700">Checked in</p>}
    </li>
  );
}
