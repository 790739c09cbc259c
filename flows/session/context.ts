/** The settings the session flow needs from a unit's config (a slice, so tests stay small). */
export interface FlowSettings {
  currency: string;
  products: readonly { id: string; price: number; prints: number; digital?: boolean }[];
  /**
   * The booth can email the digital file (a `mail` server is configured): a digital product then
   * asks for the customer's address after the prints. Absent: it cannot.
   */
  digitalDelivery?: boolean;
  documents: readonly string[];
  languages: { default: string; enabled: readonly string[] };
  retakes: number;
  timeouts: {
    inactivityMs: number;
    stillThereMs: number;
    poseMs: number;
    countdownMs: number;
    thankYouMs: number;
    healthRecheckMs: number;
    /** How long an error screen stays before the session's books are closed. */
    errorNoticeMs: number;
  };
}

/** How a session ended; `kiosk simulate` and the logs count these. */
export type SessionOutcome =
  | 'completed'
  /** Paid, but the printer failed: the prints are owed and come out once it is back. */
  | 'owed'
  | 'declined'
  | 'walked-away'
  | 'cancelled'
  | 'failed';

export interface ReviewReport {
  verdict: 'pass' | 'fail';
  /** Check ids that failed, e.g. `eyes.open`. */
  failed: string[];
  /** The review screen's checklist: every check with plain words (absent from simple checkers). */
  checks?: { id: string; pass: boolean; message: string }[];
  /** Where the document's photo lies in the still, for the review screen (engine checkers only). */
  crop?: ReviewCrop;
  /** The still's size after EXIF orientation, the crop's pixels. */
  image?: { width: number; height: number };
}

/**
 * The ID photo's frame in the still's pixels: its top-left corner, and the vectors along its top
 * edge and down its left edge (the levelling rotation is in their direction).
 */
export interface ReviewCrop {
  origin: [number, number];
  across: [number, number];
  down: [number, number];
}

export interface SessionContext {
  settings: FlowSettings;
  sessionId: string | null;
  receiptCode: string | null;
  language: string;
  documentId: string | null;
  productId: string | null;
  price: number;
  /** Credit available to this customer, as the journal holds it. */
  credit: number;
  /** Credit that was in the booth before this customer put any in (an earlier customer's). */
  carriedCredit: number;
  orderId: string | null;
  retakesLeft: number;
  /** `face`: where the live view last saw a face (null or absent: nobody in view). */
  coach: { ready: boolean; hint: string | null; checks: Record<string, boolean>; face?: unknown };
  manualCaptureOffered: boolean;
  /** The pose's idle timer ran out with a face in view and starts again (the screen stays as it is). */
  poseRearmed: boolean;
  stillId: string | null;
  review: ReviewReport | null;
  sheetIds: string[];
  printedSheets: number;
  outcome: SessionOutcome | null;
  /** The named error state the session went through and its code, for staff and logs. */
  fault: { state: string; code: string } | null;
  outOfServiceReason: string | null;
  /** What became of the credit the session left, for the money-back screen. */
  handedBack: MoneyHandedBack | null;
  /** Why the last voucher code typed was refused (`voucher-unknown`, ...); null once one is taken. */
  voucherError: string | null;
  /** The amount of the last voucher redeemed this session, for the payment screen to confirm. */
  voucherRedeemed: number;
  /** A note held in escrow, not yet taken: Cancel gives it back as it is. */
  heldNote: { ref: string; amount: number } | null;
  /**
   * The digital file: `queued` once the outbox has the customer's address (sealed: the flow
   * never holds it), `skipped` when they gave none. null: not a digital product.
   */
  digitalCopy: 'queued' | 'skipped' | null;
  /** Why the address typed was refused (`address-invalid`, ...); null once one is taken. */
  emailError: string | null;
  /** Why a contact request could not be taken; null otherwise. */
  contactError: string | null;
}

export function initialContext(settings: FlowSettings): SessionContext {
  return {
    settings,
    sessionId: null,
    receiptCode: null,
    language: settings.languages.default,
    documentId: null,
    productId: null,
    price: 0,
    credit: 0,
    carriedCredit: 0,
    orderId: null,
    retakesLeft: settings.retakes,
    coach: { ready: false, hint: null, checks: {} },
    poseRearmed: false,
    manualCaptureOffered: false,
    stillId: null,
    review: null,
    sheetIds: [],
    printedSheets: 0,
    outcome: null,
    fault: null,
    outOfServiceReason: null,
    handedBack: null,
    voucherError: null,
    voucherRedeemed: 0,
    heldNote: null,
    digitalCopy: null,
    emailError: null,
    contactError: null,
  };
}

/** What became of the credit a session left behind: the end screen says exactly this. */
export interface MoneyHandedBack {
  /** The credit the session left, minor units. */
  amount: number;
  policy: 'refund' | 'voucher' | 'carry' | 'keep';
  /** Paid back as coins by the hopper. */
  paidOut: number;
  /** The rest, as a voucher (the policy, or what the hopper could not pay). */
  voucher: { code: string; amount: number; expiresAt: number; printed: boolean } | null;
  /** Left in the booth for the next customer. */
  carried: number;
  /** Kept for the operator. */
  kept: number;
}
