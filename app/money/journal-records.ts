import { BoothError, type JournalCode } from '../../core/errors.ts';

// What the credit journal records and answers with, and the errors it throws.

export type MovementKind =
  | 'inserted'
  | 'ordered'
  | 'reversed'
  | 'refunded'
  | 'refund-short'
  | 'kept'
  | 'carried'
  | 'voucher-issued'
  | 'voucher-redeemed'
  | 'voucher-expired'
  /** A coin the operator's payment test took: in the cash box, credited to nobody (schema v6). */
  | 'test-inserted';

/**
 * What the booth does with credit a session leaves behind: pay it back as coins (`refund`, the
 * rest as a voucher when the hopper cannot pay it all), hand a `voucher`, leave it for the next
 * customer (`carry`, announced on their screen), or keep it for the operator (`keep`).
 */
export type UnusedCreditPolicy = 'carry' | 'refund' | 'voucher' | 'keep';

/** A payout asked of a coin hopper; `done` once the coins it paid are journaled. */
export interface Payout {
  id: string;
  sessionId: string;
  hopperId: string;
  coinValue: number;
  requested: number;
  /** The hopper's lifetime dispense count before this payout: after a crash, the count now says what came out. */
  countBefore: number;
  state: 'requested' | 'done';
  paid: number | null;
}

/** A voucher: credit the customer takes away on paper and redeems at this booth until it expires. */
export interface Voucher {
  code: string;
  sessionId: string;
  amount: number;
  /** Why it was issued: `policy` (the unit hands vouchers) or `payout-short` (the hopper could not pay it all). */
  reason: string;
  state: 'issued' | 'redeemed' | 'expired';
  issuedAt: number;
  expiresAt: number;
}

export interface Order {
  id: string;
  sessionId: string;
  productId: string;
  price: number;
  state: 'paid' | 'delivered' | 'reversed';
  createdAt: number;
}

/**
 * Prints a customer paid for that the printer failed to deliver. The order stays paid (its money
 * is neither earned nor given back) until the remaining sheets have printed.
 */
export interface OwedPrint {
  orderId: string;
  sessionId: string;
  /** The print sheets (photo store item ids) still to print, in order. */
  sheetIds: string[];
  copies: number;
  media: string;
  /** Why the first attempt failed, e.g. `media-empty`. */
  reason: string;
  createdAt: number;
  attempts: number;
  lastError: string | null;
  price: number;
}

/** What `recordInserted` did with a credit. */
export interface CreditWritten {
  recorded: boolean;
  balance: number;
  /** The ref was journaled before for other money: what that entry holds. */
  conflict?: { amount: number; deviceId: string | null };
}

export interface JournalTotals {
  inserted: number;
  delivered: number;
  /** Prices of paid orders whose prints are owed (not yet delivered). */
  owed: number;
  reversed: number;
  /** Paid back as coins by the hopper (net of what it then did not pay). */
  refunded: number;
  /** Payouts asked of the hopper that a crash cut off and no count has settled yet. */
  payoutsUnsettled: number;
  kept: number;
  vouchersIssued: number;
  vouchersRedeemed: number;
  vouchersExpired: number;
  /** Vouchers issued, neither redeemed nor expired. */
  vouchersOutstanding: number;
  /** Credit in the booth now: carried to the next customer. */
  balance: number;
}

export class InsufficientCreditError extends BoothError<'insufficient-credit'> {
  constructor(balance: number, price: number) {
    super('insufficient-credit', `credit ${balance} does not cover the price ${price}`);
    this.name = 'InsufficientCreditError';
  }
}

/** The registry's `journal` codes (core/errors.ts), but for `insufficient-credit`. */
export type JournalErrorCode = Exclude<JournalCode, 'insufficient-credit'>;

export class JournalError extends BoothError<JournalErrorCode> {
  constructor(code: JournalErrorCode, message: string) {
    super(code, message);
    this.name = 'JournalError';
  }
}
