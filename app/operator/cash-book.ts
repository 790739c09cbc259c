import type { BoothConfig, OperatorRole } from '../../config/schema.ts';
import type { CashPeriodFigures, CreditJournal, ZReport } from '../money/credit-journal.ts';
import type { AuditInput } from './operator-audit.ts';
import { OperatorError } from './operator-error.ts';

/** What a cash report names besides the journal's figures: whose booth, in which currency. */
export type CashReportHeading = {
  unitId: string;
  unitName: string;
  currency: string;
};

/** The open period, as the takings screen and `kiosk cash report` show it. */
export type CashReport = CashPeriodFigures & CashReportHeading;

/** A closed period, as the Z-report printed and kept. */
export type CashZReport = ZReport & CashReportHeading;

/**
 * The operator's view of the money: takings since the cash box was last emptied, and the
 * emptying itself, which closes the period with a Z-report. The figures and the Z-reports live
 * in the credit journal (app/money/journal-cash-periods.ts), so they are the journal's own
 * numbers, never a second count that could drift from it.
 */
export class CashBook {
  readonly #journal: CreditJournal;
  readonly #config: { current(): BoothConfig };
  readonly #audit: ((entry: AuditInput) => void) | undefined;

  /** `audit`: OperatorAccess.audit, so an emptying is in the operator audit too. */
  constructor(deps: {
    journal: CreditJournal;
    config: { current(): BoothConfig };
    audit?: (entry: AuditInput) => void;
  }) {
    this.#journal = deps.journal;
    this.#config = deps.config;
    this.#audit = deps.audit;
  }

  /** The open period: since the last emptying, or since the journal began. */
  report(): CashReport {
    return { ...this.#journal.cashPeriod(), ...this.#heading() };
  }

  /**
   * The cash box was emptied and its cash `counted` (minor units): closes the period. The
   * Z-report is in the journal before this returns (a power cut right after keeps it; nothing
   * can edit it later), and only then audited and handed back to be shown and printed.
   * `audited: false` when the audit could not be written: the period is closed all the same,
   * and emptying again would close a second, empty one.
   */
  emptyCashBox(input: { counted: number; role: OperatorRole }): { report: CashZReport; audited: boolean } {
    if (!Number.isSafeInteger(input.counted) || input.counted < 0)
      throw new OperatorError(
        'counted-invalid',
        `the counted cash must be a whole number of minor units (cents), 0 or more, not ${input.counted}`,
      );
    const heading = this.#heading();
    const closed = this.#journal.closeCashPeriod({
      counted: input.counted,
      closedBy: input.role,
      heading,
    });
    const report = closed as CashZReport;
    let audited = true;
    try {
      this.#audit?.({
        role: input.role,
        action: 'cash-box-emptied',
        subject: `period ${report.number}`,
        before: report.expectedInCashBox,
        after: report.counted,
      });
    } catch {
      audited = false;
    }
    return { report, audited };
  }

  /** The newest `n` Z-reports, newest first, each as it was closed. */
  zReports(n: number): CashZReport[] {
    return this.#journal.zReports(n) as CashZReport[];
  }

  #heading(): CashReportHeading {
    const config = this.#config.current();
    return { unitId: config.unit.id, unitName: config.unit.name, currency: config.currency };
  }
}
