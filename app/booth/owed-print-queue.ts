import type { PhotoPrinter } from '../../hardware/printer/photo-printer-port.ts';
import { faultCode } from '../../flows/session/services.ts';
import type { CreditJournal } from '../money/credit-journal.ts';
import type { Logger } from '../logging/logger.ts';
import type { PhotoStore } from '../services/photo-store/photo-store.ts';

export interface OwedPrintQueueOptions {
  journal: CreditJournal;
  photos: PhotoStore;
  printer: PhotoPrinter;
  logger: Logger;
  /** Owed prints go out only between customers, so they never mix with a customer's own print. */
  isIdle: () => boolean;
}

export interface OwedRun {
  /** Orders whose every owed sheet has now printed. */
  delivered: number;
  /** Sheets printed in this run. */
  sheets: number;
  /** Why the run stopped early (the printer failed again), or null. */
  stoppedBy: string | null;
}

/**
 * Prints what earlier customers paid for but did not get, oldest first, as soon as the printer
 * is ready and the booth is between customers. Each sheet is struck from the journal the moment
 * it comes out, so a crash or a new failure never prints a sheet twice nor forgets one; the
 * order counts as delivered with its last sheet. Sheets are read from the vault: an owed print
 * whose sheets retention has already wiped cannot be printed and is left for staff, with why.
 */
export class OwedPrintQueue {
  readonly #o: OwedPrintQueueOptions;
  #running: Promise<OwedRun> | null = null;

  constructor(options: OwedPrintQueueOptions) {
    this.#o = options;
  }

  /** Starts a run unless one is going or nothing can print now; resolves with what it did. */
  deliverDue(): Promise<OwedRun> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #run(): Promise<OwedRun> {
    const { journal, photos, printer, logger } = this.#o;
    const run: OwedRun = { delivered: 0, sheets: 0, stoppedBy: null };
    for (const owed of journal.owedPrints()) {
      for (const sheetId of owed.sheetIds) {
        if (!printer.status().ready || !this.#o.isIdle()) return run;
        let data: Buffer;
        try {
          data = await photos.get(sheetId);
        } catch (error) {
          // Retention wiped the photos (or the vault refused them): stop trying, staff settle it.
          journal.owedPrintGivenUp(owed.orderId, `sheet-unreadable:${faultCode(error)}`);
          logger.error(
            { orderId: owed.orderId, cause: faultCode(error) },
            'owed print cannot be read: left to staff',
          );
          break;
        }
        try {
          // Not clock-tracked: a simulated printer prints on the simulated clock itself.
          await printer.print({
            jobName: `owed-${owed.orderId.slice(0, 8)}`,
            media: owed.media,
            copies: owed.copies,
            data,
          });
        } catch (error) {
          journal.owedAttemptFailed(owed.orderId, faultCode(error));
          logger.warn({ orderId: owed.orderId, cause: faultCode(error) }, 'owed print failed again');
          return { ...run, stoppedBy: faultCode(error) };
        }
        run.sheets++;
        if (journal.owedSheetPrinted(owed.orderId, sheetId).delivered) {
          run.delivered++;
          logger.info({ orderId: owed.orderId }, 'owed prints delivered');
        }
      }
    }
    return run;
  }
}
