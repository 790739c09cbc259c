/**
 * What the operator does on the booth's own screen (or a service key): the only events the
 * screen may send in operator mode. Customer events are refused there, and these outside it.
 */

/** The operator screens reachable from the menu. */
export const operatorPages = [
  'takings',
  'paper',
  'prices',
  'documents',
  'owed',
  'receipts',
  'counters',
  'tests',
  'service',
] as const;

/** The device tests on the tests page. */
export const deviceTests = ['print', 'camera', 'receipt', 'payment'] as const;
export type DeviceTest = (typeof deviceTests)[number];
export type OperatorPage = (typeof operatorPages)[number];

export type OperatorEvent =
  /** The hidden entry (corner taps, service key): opens the PIN pad, between customers only. */
  | { type: 'OPERATOR_ENTER' }
  /** A PIN typed on the pad (digits only; never logged). */
  | { type: 'OPERATOR_PIN'; pin: string }
  /** The new PIN, where the demo PIN must be replaced before anything else. */
  | { type: 'OPERATOR_NEW_PIN'; pin: string }
  | { type: 'OPERATOR_OPEN'; page: OperatorPage }
  /** Back to the menu from a page. */
  | { type: 'OPERATOR_BACK' }
  /** Leave operator mode: the booth goes back to its customers (or stays in maintenance). */
  | { type: 'OPERATOR_EXIT' }
  /** The cash box was emptied and this much counted (minor units): closes the period. */
  | { type: 'OPERATOR_EMPTY_CASH'; counted: number }
  /** Fresh media loaded: good for this many prints (for printers that cannot count). */
  | { type: 'OPERATOR_MEDIA_LOADED'; prints: number }
  /** Closes the booth to customers ("out of service — maintenance") until put back. */
  | { type: 'OPERATOR_OUT_OF_SERVICE' }
  | { type: 'OPERATOR_IN_SERVICE' }
  /** Turn the booth off and on again: the flow ends, every device is closed and opened afresh. */
  | { type: 'OPERATOR_RESTART' }
  /** The technician begins the booth's end of service (after a confirmation on the screen). */
  | { type: 'OPERATOR_DECOMMISSION' }
  /** A customer's receipt code, as typed: what the vault still holds for it. */
  | { type: 'OPERATOR_FIND_RECEIPT'; code: string }
  /** Print the found receipt's sheets once more (free: the customer paid already). */
  | { type: 'OPERATOR_REPRINT' }
  /** Delete the found receipt's photos now: the customer's data request. */
  | { type: 'OPERATOR_DELETE_PHOTOS' }
  /** Resets one counter's since-reset figure (the days stay). */
  | { type: 'OPERATOR_RESET_COUNTER'; name: string }
  /**
   * Runs one device test: a test print, the camera (live view and a capture not kept), a
   * receipt, the payment device (a coin goes to the test bucket: reported, never credited).
   */
  | { type: 'OPERATOR_RUN_TEST'; test: DeviceTest }
  /** A product's new price, minor units: applied from the next customer on. */
  | { type: 'OPERATOR_SET_PRICE'; productId: string; price: number }
  /** Offer a product to customers, or withdraw it (from the next customer on; its price is kept). */
  | { type: 'OPERATOR_SET_PRODUCT'; productId: string; enabled: boolean }
  /** Offer a document to customers, or stop offering it (from the next customer on). */
  | { type: 'OPERATOR_SET_DOCUMENT'; documentId: string; enabled: boolean }
  /** Send an owed email again now (a digital file or a contact request the server has not taken). */
  | { type: 'OPERATOR_RESEND_MAIL'; id: string }
  /** Print an owed order now (the booth's own queue, oldest first). */
  | { type: 'OPERATOR_RETRY_OWED'; orderId: string }
  /** Stop printing an owed order and hand its price back: coins then a voucher, or a voucher. */
  | { type: 'OPERATOR_GIVE_UP_OWED'; orderId: string; as: 'refund' | 'voucher' };

export const operatorEventTypes = [
  'OPERATOR_ENTER',
  'OPERATOR_PIN',
  'OPERATOR_NEW_PIN',
  'OPERATOR_OPEN',
  'OPERATOR_BACK',
  'OPERATOR_EXIT',
  'OPERATOR_EMPTY_CASH',
  'OPERATOR_MEDIA_LOADED',
  'OPERATOR_OUT_OF_SERVICE',
  'OPERATOR_IN_SERVICE',
  'OPERATOR_RESTART',
  'OPERATOR_DECOMMISSION',
  'OPERATOR_FIND_RECEIPT',
  'OPERATOR_REPRINT',
  'OPERATOR_DELETE_PHOTOS',
  'OPERATOR_RESET_COUNTER',
  'OPERATOR_RUN_TEST',
  'OPERATOR_SET_PRICE',
  'OPERATOR_SET_PRODUCT',
  'OPERATOR_SET_DOCUMENT',
  'OPERATOR_RESEND_MAIL',
  'OPERATOR_RETRY_OWED',
  'OPERATOR_GIVE_UP_OWED',
] as const satisfies readonly OperatorEvent['type'][];

export function isOperatorEvent(event: { type: string }): event is OperatorEvent {
  return (operatorEventTypes as readonly string[]).includes(event.type);
}
