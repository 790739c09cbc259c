/**
 * The one API the renderer sees: `window.kiosk`. Shared by the main side (which builds
 * snapshots and validates events), the Electron preload, the browser shell's WebSocket client
 * and the renderer. Types only, and only type imports: the renderer bundle must not pull in Node
 * code.
 *
 * What crosses the bridge is what the screen shows, nothing more: no session id, no order id,
 * no file paths, no device serials. The receipt code crosses only on the screens that show it;
 * the review photo only on the review screen.
 */
import type { CustomerEvent } from '../../../flows/session/events.ts';
import type { FlowScreen } from '../../../flows/session/screens.ts';
import type { OperatorEvent } from '../../../flows/operator/events.ts';
import type {
  CounterReading,
  DeviceTestResult,
  DocumentChoice,
  OperatorRole,
  OwedMailView,
  OwedOutcome,
  OwedPrintView,
  PaperReport,
  ProductPrice,
  ReceiptLookup,
  ServiceInfo,
  TakingsReport,
  ZReport,
} from '../../../flows/operator/services.ts';

/** Which screen the renderer shows: the one each flow state names in its `meta`. */
export type UiScreen = FlowScreen;

export interface UiProduct {
  id: string;
  price: number;
  /** Sheets printed. */
  prints: number;
  photosPerSheet: number;
  digital: boolean;
}

export interface UiCheck {
  /** Check or rule id, e.g. `eyes.open`, `crop.inside`: the renderer's translation key is `check.<id>`. */
  id: string;
  pass: boolean;
  /** Plain English words from the checker, shown when no translation exists. */
  message: string;
}

/** A document's photo on the print, mm: its size, the head's height and the eye line's band. */
export interface UiDocumentGeometry {
  name: string;
  widthMm: number;
  heightMm: number;
  headHeightMm: { min: number; max: number };
  /** Eye line above the photo's bottom edge, where the spec publishes one. */
  eyeLineFromBottomMm: { min: number; max: number } | null;
  /** Crown below the photo's top edge, where the spec publishes one. */
  topMarginMm: { min: number; max: number } | null;
  /** Where the crown goes below the top edge with the head at mid-range (the placement the checks aim for). */
  crownFromTopMm: number;
}

export interface UiSnapshot {
  /** Increases with every snapshot sent. */
  seq: number;
  screen: UiScreen;
  /** The flow's full state name (`customer.payment.waiting`), for tests and the staff panel. */
  state: string;
  /** Why the screen is `busy`: `checking-devices`, `opening`, `ordering`, `capturing`, `checking`, `delivering`, `ending`. */
  busy: string | null;
  language: string;
  languages: readonly string[];
  unitName: string;
  currency: string;
  /** Document spec ids the booth offers; names come from translations (`document.<id>`). */
  documents: readonly string[];
  /** Each offered document's photo size and where the head must fall, by id (print mm). */
  documentGeometry: Readonly<Record<string, UiDocumentGeometry>>;
  products: readonly UiProduct[];
  choice: { documentId: string | null; productId: string | null; price: number };
  /** Credit available to the customer (inserted, or carried over). */
  credit: number;
  /**
   * The money side the customer must be told about: credit an earlier customer left (shown on
   * the payment screen as such), what the unit does with money left behind (`unusedCredit`),
   * and how to reach the operator.
   */
  money: {
    carried: number;
    /** The customer's money the session holds: credit, plus the price of an order not delivered. */
    atStake: number;
    unusedCredit: 'refund' | 'voucher' | 'carry' | 'keep';
    contact: string | null;
    /** A note held in escrow, not yet taken (part of `atStake`): Cancel gives it back as it is. */
    heldNote: number;
    /** On `moneyBack`: what became of the money (coins paid, the voucher's code and amount, credit left). */
    handedBack: {
      amount: number;
      paidOut: number;
      voucher: { code: string; amount: number; validUntil: string; printed: boolean } | null;
      carried: number;
      kept: number;
    } | null;
    /** On `payment`: the last voucher taken (its amount) or why the last code was refused. */
    voucher: { redeemed: number; error: string | null; busy: boolean };
  };
  payment: { coins: readonly number[]; bills: readonly number[]; noChangeGiven: boolean };
  /** The privacy policy in the current language, on the consent screen only. */
  consent: { text: string; version: string; changed: boolean; guardianNotice: boolean } | null;
  coach: {
    ready: boolean;
    /** A translation key such as `hint.moveCloser`. */
    hint: string | null;
    /** Steady pass/fail per check id, for the icons. */
    checks: Record<string, boolean>;
    manualCaptureOffered: boolean;
  };
  countdownMs: number;
  review: {
    verdict: 'pass' | 'fail';
    checks: readonly UiCheck[];
    /**
     * The ID photo as it will print (the document's crop of the still, levelled) where `cropped`,
     * else the whole still; scaled for the screen, as a `data:image/jpeg;base64,` URL.
     */
    photo: string | null;
    cropped: boolean;
  } | null;
  retakesLeft: number;
  /**
   * On `thankYou` and `printOwed`, and on the screens where money is involved (`confirmCancel`,
   * `error`, `unavailable`) so staff can find the session.
   */
  receiptCode: string | null;
  /** Sheets printed so far and in all, while printing. */
  printing: { printed: number; total: number } | null;
  /** The error state and its code (for staff), on `error` screens. */
  fault: { state: string; code: string } | null;
  /** Why the booth or the product is unavailable (`photo-printer:media-empty`), for staff. */
  outOfServiceReason: string | null;
  /** Demo mode on simulated hardware: the hidden staff panel may insert money and inject faults. */
  demo: boolean;
  /** Demo mode with a simulated coin hopper: the staff panel may make it run empty or jam. */
  demoHopper: boolean;
  /** How long "are you still there?" waits for an answer (ms), for the screen's own countdown. */
  stillThereMs: number;
  /** Days the photos are kept before they are deleted automatically (the privacy promise). */
  retentionDays: number;
  /**
   * Email the customer asked for: whether the booth can send any, the operator's contact and
   * promised reply time, the reasons a contact request may give, and what became of this
   * session's digital file and last request. Never an address.
   */
  mail: {
    canSend: boolean;
    operatorContact: string | null;
    replyWorkingDays: number;
    reasons: string[];
    digitalCopy: 'queued' | 'skipped' | null;
    emailError: string | null;
    contactError: string | null;
  };
  /**
   * The booth is closing down (its end of service): `closing` with the date it stops serving
   * (ISO), then `closed` and `decommissioned`. null in service.
   */
  endOfService: { phase: 'closing' | 'closed' | 'decommissioned'; closesAt: string | null } | null;
  /** The service key that opens the operator's PIN pad (a `KeyboardEvent.code`), if the unit has one. */
  serviceKey: string | null;
  /** Operator mode, while the operator is in (behind the PIN); null otherwise. Times are epoch ms. */
  operator: UiOperator | null;
}

export interface UiOperator {
  role: OperatorRole | null;
  /** The last PIN refused: tries left, or until when the pad is locked. */
  refusal: { attemptsLeft: number; lockedUntil: number | null } | null;
  /** The booth is closed to customers until put back in service. */
  maintenance: boolean;
  takings: TakingsReport | null;
  zReport: ZReport | null;
  paper: PaperReport | null;
  /** On the receipts page: the code looked up, what the vault holds for it, what was done. */
  receipt: {
    code: string;
    lookup: ReceiptLookup;
    done: 'reprinted' | 'deleted' | null;
  } | null;
  /** On the counters page. */
  counters: CounterReading[] | null;
  /** On the owed prints page: what is owed, and what the last retry or give-up came to. */
  owed: { rows: OwedPrintView[]; outcome: OwedOutcome | null } | null;
  /** On the documents page: every document the booth can make, and whether it is offered. */
  documents: DocumentChoice[] | null;
  /** On the owed page too: emails still owed to customers (no address). */
  owedMail: OwedMailView[] | null;
  /** On the service page: the diagnostics certificate to pin, an end of service under way. */
  service: ServiceInfo | null;
  /** On the prices page: the products as the next customer will see them. */
  prices: ProductPrice[] | null;
  /** The device tests run in this visit, by test. */
  tests: Partial<Record<'print' | 'camera' | 'receipt' | 'payment', DeviceTestResult>>;
  /** Why the last action failed (an error code), on its page. */
  error: string | null;
}

/** One live-view frame for the pose screen, with what the overlay draws. */
export interface UiFrame {
  seq: number;
  width: number;
  height: number;
  /** `data:image/jpeg;base64,...` */
  jpeg: string;
  /** The face box in frame pixels, when a face is seen. */
  face: { x: number; y: number; width: number; height: number } | null;
}

/**
 * What a person can do on the screen: exactly the flow's customer events. A type-only import
 * (erased from the bundle), so the screen and the flow cannot drift apart.
 */
export type UiCustomerEvent = CustomerEvent;

/** Demo mode only (simulated devices): the hidden staff panel. Ignored on real hardware. */
export type UiStaffEvent =
  | { type: 'STAFF_INSERT'; kind: 'coin' | 'bill'; value: number }
  | {
      type: 'STAFF_FAULT';
      device: 'camera' | 'payment' | 'photoPrinter' | 'receiptPrinter' | 'hopper';
      fault: UiStaffFault;
    }
  | { type: 'STAFF_CLEAR_FAULTS' }
  /** The next demo portrait steps in front of the simulated camera. */
  | { type: 'STAFF_NEXT_PERSON' }
  | { type: 'STAFF_REFILL_PRINTER' };

export type UiStaffFault = 'disconnect' | 'jam' | 'out-of-paper' | 'timeout' | 'garbage' | 'empty';

/** What the operator does in operator mode (and the hidden entry that opens its PIN pad). */
export type UiOperatorEvent = OperatorEvent;

export type UiEvent = UiCustomerEvent | UiStaffEvent | UiOperatorEvent;

/** `window.kiosk`. Listeners get the latest snapshot at once on subscribe, then every change. */
export interface KioskBridge {
  onSnapshot(listener: (snapshot: UiSnapshot) => void): () => void;
  onFrame(listener: (frame: UiFrame) => void): () => void;
  send(event: UiEvent): void;
}

/** The browser shell's WebSocket messages (the Electron shell uses IPC channels of the same names). */
export type BridgeServerMessage =
  { kind: 'snapshot'; snapshot: UiSnapshot } | { kind: 'frame'; frame: UiFrame };
export type BridgeClientMessage = { kind: 'event'; event: UiEvent };

export const bridgeChannels = {
  snapshot: 'kiosk:snapshot',
  frame: 'kiosk:frame',
  event: 'kiosk:event',
} as const;
