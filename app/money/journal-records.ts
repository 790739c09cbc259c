import { BoothError, type JournalCode } from '../../core/errors.ts';

// What the credit journal records and answers with, and the errors it throws.

export type MovementKind = 'inserted' | 'ordered' | 'reversed' | 'refunded' | 'kept' | 'carried';
export type UnusedCreditPolicy = 'carry' | 'refund' | 'keep';

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
  refunded: number;
  kept: number;
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
