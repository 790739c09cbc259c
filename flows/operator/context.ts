import type { DeviceTest } from './events.ts';
import type {
  CounterReading,
  DeviceTestResult,
  DocumentChoice,
  OwedOutcome,
  OwedMailView,
  OwedPrintView,
  ProductPrice,
  OperatorRole,
  PaperReport,
  ReceiptLookup,
  ServiceInfo,
  TakingsReport,
  ZReport,
} from './services.ts';

/** What operator mode shows. No PIN is ever kept here: it goes from the event to the check. */
export interface OperatorContext {
  /** Who is in, once a PIN was accepted. */
  role: OperatorRole | null;
  /** The booth is closed to customers ("out of service — maintenance") until put back. */
  maintenance: boolean;
  /** The last PIN refused: tries left before the pad locks, or until when it is locked (epoch ms). */
  refusal: { attemptsLeft: number; lockedUntil: number | null } | null;
  takings: TakingsReport | null;
  zReport: ZReport | null;
  paper: PaperReport | null;
  /**
   * The receipt code being looked at (the customer's key: held only while its page is open) and
   * what the vault holds for it, and what was done with it.
   */
  receipt: { code: string; lookup: ReceiptLookup; done: 'reprinted' | 'deleted' | null } | null;
  counters: CounterReading[] | null;
  prices: ProductPrice[] | null;
  documents: DocumentChoice[] | null;
  owed: { rows: OwedPrintView[]; outcome: OwedOutcome | null } | null;
  /** On the owed page too: emails still owed to customers. */
  owedMail: OwedMailView[] | null;
  /** The service page's facts: the technicians' diagnostics (its certificate) and any end of service. */
  service: ServiceInfo | null;
  /** The last result of each device test run in this visit. */
  tests: Partial<Record<DeviceTest, DeviceTestResult>>;
  /** Why the last action failed (an error code), shown on its page; cleared by the next one. */
  error: string | null;
  /** How long operator mode waits for a touch before it goes back to service. */
  idleMs: number;
}

export interface OperatorInput {
  idleMs: number;
  maintenance: boolean;
}

/** What the booth does after operator mode: open to customers, or stay closed for maintenance. */
export interface OperatorOutput {
  maintenance: boolean;
}
