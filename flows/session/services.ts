import { errorCode, foreignCode, isDiskFullCode, type FaultCode } from '../../core/errors.ts';
import type { MoneyHandedBack, ReviewReport, SessionOutcome } from './context.ts';

export type { MoneyHandedBack };

/**
 * What the session flow needs from the booth, as plain async functions. The composition root
 * (app/) implements these over the devices, the credit journal, the photo store, face analysis
 * and photo production; tests implement them with fakes. The machine never sees a device.
 */
export interface SessionServices {
  /** Can the booth deliver this product right now? Checked before any money is taken. */
  checkDevices(input: { productId: string | null }): Promise<{ ok: boolean; reason: string | null }>;
  /** Starts a session after consent; returns the credit already available (carried over). */
  openSession(input: {
    language: string;
  }): Promise<{ sessionId: string; receiptCode: string; credit: number }>;
  setAcceptance(enabled: boolean): Promise<void>;
  stackEscrow(ref: string): Promise<void>;
  returnEscrow(ref: string): Promise<void>;
  /** Moves the price from credit into a paid order. */
  placeOrder(input: {
    sessionId: string;
    productId: string;
    price: number;
  }): Promise<{ orderId: string; credit: number }>;
  /**
   * Runs live view with pose coaching until the returned stop function is called. Calls
   * `update` for coaching results and `fault` once if the camera fails.
   */
  coachLiveView(
    input: { sessionId: string; documentId: string },
    report: { update: (u: CoachUpdate) => void; fault: (code: string) => void },
  ): () => void;
  captureStill(input: { sessionId: string }): Promise<{ stillId: string }>;
  checkStill(input: { sessionId: string; stillId: string; documentId: string }): Promise<ReviewReport>;
  producePhotos(input: {
    sessionId: string;
    stillId: string;
    documentId: string;
    productId: string;
  }): Promise<{ sheetIds: string[] }>;
  printSheets(input: {
    sessionId: string;
    orderId: string;
    sheetIds: string[];
  }): Promise<{ printed: number }>;
  deliverOrder(input: { orderId: string }): Promise<void>;
  printReceipt(input: {
    sessionId: string;
    receiptCode: string;
    productId: string;
    price: number;
  }): Promise<void>;
  /**
   * Turns a voucher's code into credit for this session, once. Rejects with a code the screen
   * names: `voucher-unknown`, `voucher-redeemed`, `voucher-expired`, `voucher-locked` (too many
   * wrong codes: the pad rests a while).
   */
  redeemVoucher(input: { sessionId: string; code: string }): Promise<{ amount: number; credit: number }>;
  /**
   * Hands the session's digital file to the outbox for `address` (sealed there; sent in the
   * background). Rejects with `address-invalid` for an address the outbox will not take.
   */
  requestDigitalCopy(input: {
    sessionId: string;
    address: string;
    language: string;
    productId: string;
    documentId: string;
  }): Promise<void>;
  /** A "contact us" request to the operator, answered at `address`; `reason` one of the outbox's list. */
  requestContact(input: {
    address: string;
    reason: string;
    receiptCode: string | null;
    language: string;
  }): Promise<void>;
  /**
   * Closes the session's books: an order that was paid but not delivered goes back into credit,
   * then unused credit is paid back, put on a voucher, carried or kept per config. Returns the
   * credit left in the booth, and what was handed back (null when the session left no credit).
   */
  endSession(input: {
    sessionId: string | null;
    orderId: string | null;
    outcome: SessionOutcome;
    fault: { state: string; code: string } | null;
  }): Promise<{ credit: number; handedBack: MoneyHandedBack | null }>;
}

export interface CoachUpdate {
  ready: boolean;
  /** One hint for the person, a translation key such as `hint.moveCloser`. */
  hint: string | null;
  /** Steady pass/fail of each check id, for the icons on screen. */
  checks: Record<string, boolean>;
  /** Where the face is in the live frame (pixels), for the overlay; null when there is none. */
  face?: { box: [x: number, y: number, width: number, height: number] } | null;
}

/**
 * A code for an error thrown by a service, for the fault record (never the message: it may be
 * long): its registered booth code, else a foreign (Node, SQLite) code as it came, else `error`.
 * A full disk is `disk-full` whoever said it (ENOSPC from a write, SQLITE_FULL from the journal):
 * staff act on it the same way.
 */
export function faultCode(error: unknown): FaultCode {
  const code = errorCode(error);
  if (code !== 'error') return code;
  const foreign = foreignCode(error);
  return isDiskFullCode(foreign) ? 'disk-full' : (foreign ?? 'error');
}
