import type { OperatorRole } from '../../config/schema.ts';
import type { OwedPrintView } from '../../flows/operator/services.ts';
import type { CreditJournal } from '../money/credit-journal.ts';
import type { AuditInput } from './operator-audit.ts';
import { OperatorError } from './operator-error.ts';

/**
 * One owed print as staff see it (the operator's owed-prints page shows the same): no receipt
 * code and no session id (the order id is the journal's own key, and says nothing about who paid).
 */
export type OwedRow = OwedPrintView;

/** What the booth's owed print queue did in one run (app/booth/owed-print-queue.ts). */
export interface OwedQueueRun {
  delivered: number;
  sheets: number;
  stoppedBy: string | null;
}

/** What came back to the customer of a given-up order (app/booth/money-back.ts). */
export interface HandedBack {
  paidOut: number;
  voucher: { code: string; amount: number; expiresAt: number; printed: boolean } | null;
}

export interface OwedDeskDeps {
  journal: CreditJournal;
  audit: (entry: AuditInput) => void;
  /** Whether nobody is in a session (the queue prints and money moves only then). */
  betweenCustomers: () => boolean;
  /** Runs the booth's own queue now; null when it cannot print (printer not ready, booth busy). */
  deliverNow: () => Promise<OwedQueueRun | null>;
  /** Hands `amount` of the credit back: coins then a voucher (`refund`), or a voucher. */
  handBack: (input: {
    sessionId: string;
    amount: number;
    as: 'refund' | 'voucher';
    reason: string;
  }) => Promise<HandedBack>;
}

/**
 * Staff's handle on prints owed to earlier customers: the list, a retry now, and giving up on
 * one with its price handed back. Retrying runs the booth's own queue (oldest first, each sheet
 * struck off as it prints: never a second queue that could print a sheet twice); giving up
 * reverses the order in the journal and hands the price back through the booth's MoneyBack.
 */
export class OwedDesk {
  readonly #d: OwedDeskDeps;

  constructor(deps: OwedDeskDeps) {
    this.#d = deps;
  }

  list(): OwedRow[] {
    const { journal } = this.#d;
    const rows = [
      ...journal.owedPrints().map((o) => ({ o, state: 'owed' as const })),
      ...journal.owedPrintsGivenUp().map((o) => ({ o, state: 'given-up' as const })),
    ];
    return rows.map(({ o, state }) => ({
      orderId: o.orderId,
      state,
      since: o.createdAt,
      sheetsLeft: o.sheetIds.length * o.copies,
      attempts: o.attempts,
      lastError: o.lastError ?? o.reason,
      price: o.price,
    }));
  }

  /** Prints what is owed now if it can; says whether `orderId` is now delivered. */
  async retry(input: { orderId: string; role: OperatorRole }): Promise<{
    delivered: boolean;
    sheetsPrinted: number;
    stoppedBy: string | null;
    left: OwedRow | null;
  }> {
    const row = this.#row(input.orderId);
    if (row.state === 'given-up')
      throw new OperatorError(
        'owed-not-found',
        `order ${input.orderId} cannot be printed (its sheets are gone): give it up with a refund or voucher`,
      );
    const run = await this.#d.deliverNow();
    // Gone from the list only when its last sheet printed; the queue may also have given up on it.
    const left = this.list().find((o) => o.orderId === input.orderId) ?? null;
    const result = {
      delivered: left === null,
      sheetsPrinted: run?.sheets ?? 0,
      // Null run: the queue could not start, so say why instead of "0 printed".
      stoppedBy:
        left?.state === 'given-up'
          ? left.lastError
          : run
            ? run.stoppedBy
            : 'printer-not-ready-or-customer-at-booth',
      left,
    };
    this.#d.audit({
      role: input.role,
      action: 'owed-print-retried',
      subject: input.orderId,
      after: result.delivered ? 'delivered' : (result.stoppedBy ?? 'still-owed'),
    });
    return result;
  }

  /**
   * Gives up printing `orderId` and hands its price back. One journal transaction stops the
   * queue and puts the price back into credit; MoneyBack then pays it out (the hopper's coins,
   * the rest as a voucher with its slip) or vouchers it. A crash between the two leaves the price
   * as credit, which the booth settles at its next start as it does any session's credit.
   */
  async giveUp(input: {
    orderId: string;
    as: 'refund' | 'voucher';
    role: OperatorRole;
  }): Promise<{ price: number } & HandedBack> {
    if (!this.#d.betweenCustomers())
      throw new OperatorError(
        'customer-at-booth',
        'a customer is at the booth: give up an owed print between customers',
      );
    this.#row(input.orderId);
    const reason = `given-up-${input.as}`;
    const { price, sessionId } = this.#d.journal.owedPrintReversed(input.orderId, reason);
    const back = await this.#d.handBack({ sessionId, amount: price, as: input.as, reason });
    this.#d.audit({
      role: input.role,
      action: 'owed-print-given-up',
      subject: input.orderId,
      before: price,
      after: { as: input.as, paidOut: back.paidOut, voucher: back.voucher?.amount ?? 0 },
    });
    return { price, ...back };
  }

  #row(orderId: string): OwedRow {
    const row = this.list().find((o) => o.orderId === orderId);
    if (!row)
      throw new OperatorError(
        'owed-not-found',
        `no print is owed for order ${orderId} (kiosk owed list shows what is owed; delivered or settled ones are not there)`,
      );
    return row;
  }
}
