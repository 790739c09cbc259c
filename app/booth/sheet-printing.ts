import type { Clock } from '../../core/clock.ts';
import { BoothError, type FaultCode } from '../../core/errors.ts';
import type { PhotoPrinter, PrintSheet } from '../../hardware/printer/photo-printer-port.ts';

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** How long each retry waits for the printer to say it is ready again. */
  retryWaitMs: number;
}

/** How often a waiting retry looks at the printer's status (it also hears status changes). */
const lookEveryMs = 250;

/**
 * Prints one sheet, retrying a failed job per policy. A retry starts only once the printer says
 * it is ready again (a jam cleared, paper loaded): sending the job into a printer that still
 * reports media-empty would only fail again, or worse, sit in its queue and come out after the
 * booth has reprinted it. Rejects with the last job's error.
 */
export async function printSheetWithRetries(
  printer: PhotoPrinter,
  sheet: PrintSheet,
  policy: RetryPolicy,
  clock: Clock,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await printer.print(sheet);
      return;
    } catch (error) {
      if (attempt >= policy.retries) throw error;
      if (!(await waitUntilReady(printer, policy.retryWaitMs, clock))) throw error;
    }
  }
}

async function waitUntilReady(printer: PhotoPrinter, ms: number, clock: Clock): Promise<boolean> {
  const deadline = clock.now() + ms;
  while (!printer.status().ready) {
    if (clock.now() >= deadline) return false;
    await clock.sleep(Math.min(lookEveryMs, deadline - clock.now()));
  }
  return true;
}

/** Thrown by the booth's print step when the prints could not be made and are now owed. */
export class PrintsOwedError extends BoothError<'prints-owed'> {
  constructor(
    /** Why the printer failed: what `faultCode` made of its error. */
    readonly printerCode: FaultCode,
    readonly sheetsOwed: number,
  ) {
    super(
      'prints-owed',
      `the printer failed (${printerCode}): ${sheetsOwed} sheet(s) owed, printed once it is back`,
    );
    this.name = 'PrintsOwedError';
  }
}
