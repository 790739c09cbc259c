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
  | { type: 'REDEEM_VOUCHER'; code: string }
  /**
   * The address for the digital file, confirmed on screen. It goes from the event to the
   * outbox, where it is sealed: the flow's context never holds it, nor do logs.
   */
  | { type: 'EMAIL_SEND'; address: string }
  /** No address: the file is not sent (staff can send it later with the receipt code). */
  | { type: 'EMAIL_SKIP' }
  /** "Contact us" on a thank-you, owed-print, error or money-back screen. */
  | { type: 'CONTACT_US' }
  /** The request: an address to answer and a reason from the list (sealed like the file's address). */
  | { type: 'CONTACT_SEND'; address: string; reason: string }
  | { type: 'CONTACT_CANCEL' };

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
  'EMAIL_SEND',
  'EMAIL_SKIP',
  'CONTACT_US',
  'CONTACT_SEND',
  'CONTACT_CANCEL',
] as const satisfies readonly CustomerEvent['type'][];
