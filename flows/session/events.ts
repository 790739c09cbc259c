import type { CoachUpdate } from './services.ts';
/** Everything that can happen to a customer session, from the screen, the devices or the services. */

/** What a person does on the screen (or the keypad). These are the only events the UI may send. */
export type CustomerEvent =
  | { type: 'TOUCH' }
  | { type: 'SELECT_LANGUAGE'; language: string }
  | { type: 'ACCEPT_CONSENT' }
  | { type: 'DECLINE_CONSENT' }
  | { type: 'CHOOSE'; documentId: string; productId: string }
  | { type: 'CANCEL' }
  /** "Carry on" on the cancel confirmation. */
  | { type: 'KEEP_GOING' }
  | { type: 'CAPTURE_NOW' }
  | { type: 'ACCEPT_PHOTO' }
  | { type: 'RETAKE' }
  | { type: 'STILL_HERE' }
  | { type: 'FINISH' }
  /** A voucher code typed on the payment screen (as typed: the service normalises it). */
  | { type: 'REDEEM_VOUCHER'; code: string };

/** What the booth itself reports: money already journaled, live coaching, device faults and health. */
export type BoothEvent =
  /** A credit was journaled (and synced) before this event was sent; `balance` is the journal's. */
  | { type: 'CREDIT'; amount: number; balance: number }
  /** A note waits in escrow; the flow decides whether to stack or return it. */
  | { type: 'ESCROW'; ref: string; amount: number }
  /** The device gave a held note back by itself (escrow timeout, reset). */
  | { type: 'ESCROW_RETURNED'; ref: string }
  | ({ type: 'COACH_UPDATE' } & CoachUpdate)
  | { type: 'PAYMENT_FAULT'; code: string }
  | { type: 'CAMERA_FAULT'; code: string }
  /** Device health changed; `ok` false means a device the booth needs is down. */
  | { type: 'HEALTH'; ok: boolean; reason: string | null }
  /**
   * The hidden operator entry, passed on by the booth: a session at attract with nobody's money
   * in answers its parent with `OPERATOR_GRANTED`; anywhere else it is ignored.
   */
  | { type: 'OPERATOR_ENTER' };

export type SessionEvent = CustomerEvent | BoothEvent;

export const customerEventTypes = [
  'TOUCH',
  'SELECT_LANGUAGE',
  'ACCEPT_CONSENT',
  'DECLINE_CONSENT',
  'CHOOSE',
  'CANCEL',
  'KEEP_GOING',
  'CAPTURE_NOW',
  'ACCEPT_PHOTO',
  'RETAKE',
  'STILL_HERE',
  'FINISH',
  'REDEEM_VOUCHER',
] as const satisfies readonly CustomerEvent['type'][];
