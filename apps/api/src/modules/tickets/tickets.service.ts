import QRCode from 'qrcode';
import type { CheckinResult } from '@ticketing/shared';
import type { AppDeps } from '../../platform/deps.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors.js';
import type { TicketSigner } from './ticket-code.js';
import { checkIn, findTicketCode, ticketState } from './tickets.repo.js';

/** Tickets: QR codes for holders, check-in at the door. */
export class TicketsService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db'>,
    readonly signer: TicketSigner,
  ) {}

  /** SVG QR code of a ticket's signed code; only its owner (or an admin, `userId` null) may fetch it. */
  async qrSvg(ticketId: string, userId: string | null): Promise<string> {
    const code = await findTicketCode(this.deps.db, ticketId, userId);
    if (!code) throw new NotFoundError('Ticket');
    return QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  /** Scan at the door: the signature is checked first (no database work for a forged code). */
  async checkIn(code: string): Promise<CheckinResult> {
    const ref = this.signer.verify(code);
    if (!ref) throw new BadRequestError('This ticket code is not genuine.', 'ticket_forged');
    const result = await checkIn(this.deps.db, ref.ticketId, ref.eventId);
    if (result) return result;
    const state = await ticketState(this.deps.db, ref.ticketId, ref.eventId);
    // The 409 says when and for which seat the ticket was used, so door staff can tell a re-scan from a copy.
    if (state?.status === 'checked_in') {
      throw new ConflictError('This ticket has already been used.', 'ticket_already_used', { checkedInAt: state.checkedInAt, seat: state.seat });
    }
    if (state?.status === 'void') throw new ConflictError('This ticket is void (refunded or cancelled).', 'ticket_void');
    throw new NotFoundError('Ticket');
  }
}
