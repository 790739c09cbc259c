/**
 * What the screens and the host need to know about a state, read through XState's `meta` and
 * `tags` instead of by parsing dotted state names.
 */

/** The screen a person sees in a state (the bridge's UiScreen is this set). */
export type FlowScreen =
  | 'attract'
  | 'language'
  | 'consent'
  | 'choose'
  | 'payment'
  | 'pose'
  | 'countdown'
  | 'review'
  /** Short waits with a spinner: checking devices, opening the session, placing the order, capturing, checking the photo, closing. */
  | 'busy'
  | 'producing'
  | 'printing'
  /** The print failed after payment: the photos are owed and print when the printer is back. */
  | 'printOwed'
  | 'thankYou'
  /** The digital file: the customer types the address it goes to, and confirms it. */
  | 'emailEntry'
  /** "Contact us": an address and a reason, for the operator to answer. */
  | 'contact'
  | 'contactSent'
  | 'stillThere'
  /** Cancel with money in: how much, what happens to it, carry on or cancel. */
  | 'confirmCancel'
  /** A named error state (payment, camera, production, printing, storage): a message, then back to attract. */
  | 'error'
  /** The chosen product cannot be delivered now; no money was taken. */
  | 'unavailable'
  /** What became of the customer's leftover money: coins paid back, a voucher, or credit left. */
  | 'moneyBack'
  | 'outOfService'
  /** Operator mode (behind the PIN): the pad, a new PIN where the demo one must go, the menu and its pages. */
  | 'operatorPin'
  | 'operatorNewPin'
  | 'operatorMenu'
  | 'operatorTakings'
  | 'operatorZReport'
  | 'operatorPaper'
  | 'operatorReceipts'
  | 'operatorCounters'
  | 'operatorTests'
  | 'operatorPrices'
  | 'operatorOwed'
  | 'operatorDocuments'
  | 'operatorService';

/** A state's `meta`: its screen, and for a spinner what the booth is busy with. */
export interface ScreenMeta {
  screen: FlowScreen;
  busy?: string;
}

export const screen = (name: FlowScreen): { meta: ScreenMeta } => ({ meta: { screen: name } });
export const busy = (reason: string): { meta: ScreenMeta } => ({ meta: { screen: 'busy', busy: reason } });

/** State tags. */
export const tags = {
  /** Nobody at the booth and it is ready for the next customer: owed prints, backdrop checks and new config may run. */
  waitingForCustomer: 'waiting-for-customer',
  /** The booth takes no customer until a device or the journal is back. */
  outOfService: 'out-of-service',
  /** The operator is at the booth (behind the PIN): no customer, no money taken. */
  operatorMode: 'operator-mode',
} as const;

/**
 * The deepest active state's screen from a snapshot's `getMeta()` (ids like `session.customer.review`):
 * a sub-state without a screen of its own (`customer.payment.waiting`) shows its parent's.
 */
export function screenOf(meta: Record<string, unknown>): ScreenMeta {
  let best: { depth: number; meta: ScreenMeta } | null = null;
  for (const [id, value] of Object.entries(meta)) {
    if (!value || typeof value !== 'object' || !('screen' in value)) continue;
    const depth = id.split('.').length;
    if (!best || depth > best.depth) best = { depth, meta: value as ScreenMeta };
  }
  // A state the screens do not know yet (the flow grew): a spinner, never a blank screen.
  return best?.meta ?? { screen: 'busy' };
}
