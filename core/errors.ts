/**
 * Every error code the booth names, in one place, so the session flow, the logs, the screen and
 * the metrics agree on them. Each group is one kind of failure; each entry says which Error
 * class (or classes) carry the code, and what it means.
 *
 * A thrown error's `code` is always one of these: the Error classes take their code type from
 * here (`Extract<ErrorCode, …>` or a group's keys), and test/core/errors.test.ts scans the source
 * for code literals so an unregistered code fails the tests.
 *
 * Not codes, and so not here: device *status reasons* (`DeviceStatus.reasons`, and the
 * printer's IPP `printer-state-reasons`, which a printer may extend with keywords of its own).
 * They describe a device, are open-ended and stay strings. A reason becomes a code only when an
 * adapter throws it (the printer stops a job on `media-jam`): those are registered below.
 */

/** Where a code comes from: an Error class, or a payment `fault` event (told, not thrown). */
export type ErrorSource =
  | 'DeviceError'
  | 'IppError'
  | 'CcTalkError'
  | 'PaymentFaultEvent'
  | 'PayoutResult'
  | 'PrintsOwedError'
  | 'ProductionError'
  | 'ProductionInputError'
  | 'BoothServiceError'
  | 'FaceEngineError'
  | 'ImageError'
  | 'VaultError'
  | 'PhotoStoreError'
  | 'JournalError'
  | 'InsufficientCreditError'
  | 'ConfigError'
  | 'DataDirInUseError'
  | 'OperatorError'
  | 'ControlError'
  | 'OutboxError'
  | 'DecommissionError';

export interface ErrorEntry {
  readonly from: readonly ErrorSource[];
  readonly means: string;
}

const device = ['DeviceError'] as const;
/** Thrown by the hopper, or told as the `fault` of a payout that stopped short. */
const hopperBoth = ['DeviceError', 'PayoutResult'] as const;
/** Told as the `fault` of a payout that stopped short (`PayoutResult`), never thrown. */
const payout = ['PayoutResult'] as const;
/** An IPP code the photo printer passes on as its own DeviceError's code. */
const ipp = ['IppError', 'DeviceError'] as const;

export const errorRegistry = {
  /** `DeviceError` with `device: 'camera'`. */
  camera: {
    closed: { from: device, means: 'the camera is used before it was opened or after it was closed' },
    disconnected: {
      from: device,
      means: 'the camera went away (cable out, powered off), also during live view',
    },
    timeout: { from: device, means: 'the camera did not answer a capture request in time' },
    'live-view-stopped': { from: device, means: 'live view was stopped while a frame was awaited' },
    busy: {
      from: device,
      means:
        'the camera stayed busy through every retry (autofocus could not lock: gphoto2 -110, PTP 0x2019)',
    },
    'claimed-by-another-process': {
      from: device,
      means: "another process holds the camera's USB interface (gvfs, another gphoto2: gphoto2 -53)",
    },
    'not-supported': {
      from: device,
      means: 'the camera cannot do what was asked, e.g. no live view (gphoto2 -6)',
    },
    'adapter-error': { from: device, means: 'the camera adapter or libgphoto2 failed for another reason' },
  },

  /** `DeviceError` with `device: 'payment'` (simulated device and the ccTalk adapter). */
  paymentDevice: {
    closed: { from: device, means: 'the payment device is used before it was opened or after it was closed' },
    disconnected: { from: device, means: 'the payment device or its serial line went away' },
    timeout: { from: device, means: 'the payment device did not answer' },
    'no-escrow': { from: device, means: 'no note of that reference is held in escrow to stack or return' },
    'wrong-device': { from: device, means: 'the ccTalk address answers as another kind of device' },
    'route-failed': { from: device, means: 'the bill validator could not stack or return the held note' },
    'counter-store-failed': {
      from: device,
      means: "a device's last event counter could not be read or written",
    },
    refused: { from: device, means: 'the device answered NAK to a command' },
    busy: { from: device, means: 'the device answered BUSY to every retry' },
    'line-errors': { from: device, means: 'replies failed their checksum or came from the wrong address' },
    'adapter-error': { from: device, means: 'the payment adapter failed for another reason' },
  },

  /**
   * The coin hopper (simulated and ccTalk): `DeviceError` with `device: 'hopper'` when a call
   * fails, and the `fault` of a `PayoutResult` when a payout stops short (told, not thrown).
   */
  hopper: {
    closed: { from: device, means: 'the hopper is used before it was opened or after it was closed' },
    'bad-amount': {
      from: device,
      means: "a payout that is not a positive whole number of the hopper's coins",
    },
    'wrong-device': { from: device, means: 'the ccTalk address answers as another kind of device' },
    refused: { from: hopperBoth, means: 'the hopper answered NAK to a command (a dispense it would not do)' },
    busy: { from: device, means: 'the hopper answered BUSY to every retry' },
    'line-errors': { from: device, means: 'replies failed their checksum or came from the wrong address' },
    'adapter-error': { from: device, means: 'the hopper adapter failed for another reason' },
    timeout: { from: hopperBoth, means: 'the hopper did not answer, before or during a payout' },
    disconnected: { from: hopperBoth, means: 'the hopper or its line went away, before or during a payout' },
    'nv-memory-error': {
      from: hopperBoth,
      means: "the hopper's dispense count (its NV memory or state file) cannot be read or written",
    },
    empty: { from: payout, means: 'the hopper ran out of coins part-way through the payout' },
    jam: { from: payout, means: 'coins jammed in the hopper: its exit sensor stayed blocked' },
    'power-down': { from: payout, means: 'the hopper lost power during the payout' },
    'exit-fraud': {
      from: payout,
      means: "the hopper's exit sensor was tampered with (blocked or shorted) during the payout",
    },
    'payout-disabled': { from: payout, means: 'the hopper stopped with its payout disabled (a reset)' },
    stalled: {
      from: payout,
      means: 'the payout made no progress for too long and the booth stopped it (emergency stop)',
    },
    'hopper-fault': { from: payout, means: 'the payout stopped short and the hopper names no reason' },
  },

  /**
   * `DeviceError` with `device: 'photo-printer'`. The blocking reasons (offline … paused) are the
   * IPP printer-state-reason keywords that stop a job; an `IppError` code the adapter passes on
   * (see `ipp`) is a photo-printer code too.
   */
  photoPrinter: {
    offline: { from: device, means: 'the printer is not open, not reachable or shut down' },
    'media-empty': { from: device, means: 'the printer is out of paper or ribbon' },
    'media-jam': { from: device, means: 'the paper is jammed' },
    'marker-supply-empty': { from: device, means: 'the ribbon or ink is used up' },
    'door-open': { from: device, means: 'a door of the printer is open' },
    'cover-open': { from: device, means: 'a cover of the printer is open' },
    'input-tray-missing': { from: device, means: 'the paper tray is out' },
    'output-area-full': { from: device, means: 'the output bin is full' },
    paused: { from: device, means: 'the printer is stopped (paused) and did not resume' },
    timeout: { from: device, means: 'the printer stopped answering, or a job did not end in time' },
    'media-unsupported': { from: device, means: 'the printer has no media of the sheet size asked for' },
    'document-format-error': {
      from: device,
      means: 'the sheet is not a JPEG, or the printer refused its format',
    },
    'bad-copies': { from: device, means: 'copies is not a whole number of at least one' },
    'job-aborted': { from: device, means: 'the printer aborted the job without naming a reason' },
    'job-canceled': { from: device, means: 'the job was canceled at the printer' },
    'job-stopped': { from: device, means: 'the job stopped (processing-stopped) without naming a reason' },
    'ipp-error': { from: device, means: 'an IPP request failed with something other than an IppError' },
  },

  /** `DeviceError` with `device: 'receipt-printer'`. */
  receiptPrinter: {
    offline: { from: device, means: 'the receipt printer is not open or not reachable' },
    'media-empty': { from: device, means: 'the receipt printer is out of paper' },
    'media-jam': { from: device, means: 'the receipt paper is jammed' },
    timeout: { from: device, means: 'the receipt printer did not answer' },
  },

  /**
   * `IppError`: an IPP exchange failed. The photo printer passes every code but `unreachable`
   * (which it names `offline`) on as its own `DeviceError` code.
   */
  ipp: {
    unreachable: { from: ['IppError'], means: 'no connection to the printer (refused, reset, unknown host)' },
    timeout: { from: ipp, means: 'connected or connecting, but no complete answer in time' },
    refused: { from: ipp, means: 'the printer answered with an IPP error status or an HTTP error' },
    'bad-response': { from: ipp, means: 'the bytes that came back are not a well-formed IPP message' },
    'bad-request': { from: ipp, means: 'the request cannot be encoded (bad URL, bad value)' },
  },

  /** `CcTalkError`: a ccTalk command failed on the line. */
  ccTalk: {
    timeout: { from: ['CcTalkError'], means: 'no valid reply within the timeout, after every retry' },
    nak: { from: ['CcTalkError'], means: 'the device answered NAK (it did not understand or cannot do it)' },
    busy: { from: ['CcTalkError'], means: 'the device answered BUSY after every retry' },
    'bad-checksum': { from: ['CcTalkError'], means: "the reply's checksum was wrong after every retry" },
    'wrong-reply': {
      from: ['CcTalkError'],
      means: 'the reply was not for the host, or not the size the command has',
    },
    closed: { from: ['CcTalkError'], means: 'the line is closed or the serial port failed' },
  },

  /**
   * Payment `fault` events (`PaymentEvent`) and the cash desk's `PAYMENT_FAULT`: told to staff,
   * never thrown. A coin or bill event without a name of its own is `coin-error-N`,
   * `bill-event-N` or `bill-event-A-B` (see `OpenPaymentFaultCode`). A `PAYMENT_FAULT` may
   * also carry the device's first status reason (a reason, not a registered code).
   */
  paymentFault: {
    jam: { from: ['PaymentFaultEvent'], means: 'a note is jammed in the simulated validator' },
    garbage: {
      from: ['PaymentFaultEvent'],
      means: 'a reply failed its checksum and was ignored (simulated)',
    },
    'device-reset': {
      from: ['PaymentFaultEvent'],
      means: 'the device was reset (counter restarted, settings lost)',
    },
    'lost-events': {
      from: ['PaymentFaultEvent'],
      means: 'more events happened than the device buffers: some were lost',
    },
    'unknown-credit': {
      from: ['PaymentFaultEvent'],
      means: 'the device took money on a channel without a configured value',
    },
    'route-failed': { from: ['PaymentFaultEvent'], means: 'the validator could not route a note' },
    'note-jam': { from: ['PaymentFaultEvent'], means: 'a note is jammed in the transport or the stacker' },
    'note-pulled-back': {
      from: ['PaymentFaultEvent'],
      means: 'a note was pulled back out during validation',
    },
    'bill-tamper': { from: ['PaymentFaultEvent'], means: 'the validator saw tampering' },
    'stacker-removed': { from: ['PaymentFaultEvent'], means: 'the stacker (cash box) was taken out' },
    'stacker-faulty': { from: ['PaymentFaultEvent'], means: 'the stacker reports a fault' },
    'stacker-full': { from: ['PaymentFaultEvent'], means: 'the stacker is full' },
    'stacker-jam': { from: ['PaymentFaultEvent'], means: 'the stacker is jammed' },
    'opto-fraud': { from: ['PaymentFaultEvent'], means: 'the validator saw an optical fraud attempt' },
    'string-fraud': { from: ['PaymentFaultEvent'], means: 'a coin or note on a string' },
    'anti-string-faulty': {
      from: ['PaymentFaultEvent'],
      means: "the validator's anti-string mechanism is faulty",
    },
    'unknown-bill-stacked': { from: ['PaymentFaultEvent'], means: 'a note of an unknown type was stacked' },
    'credit-sequence-error': {
      from: ['PaymentFaultEvent'],
      means: 'the coin acceptor saw a credit sequence error',
    },
    'coin-going-backwards': {
      from: ['PaymentFaultEvent'],
      means: 'a coin went backwards through the acceptor',
    },
    'swallowed-coin': { from: ['PaymentFaultEvent'], means: 'a coin went in without a credit' },
    'light-attack': {
      from: ['PaymentFaultEvent'],
      means: 'the coin acceptor saw a light attack on its sensors',
    },
    'flight-deck-open': { from: ['PaymentFaultEvent'], means: "the coin acceptor's flight deck is open" },
    'coin-alarm': { from: ['PaymentFaultEvent'], means: 'the coin acceptor raised an unspecified alarm' },
    'invalid-credit': {
      from: ['PaymentFaultEvent'],
      means: 'the cash desk ignored a credit with an invalid amount',
    },
    'journal-unwritable': {
      from: ['PaymentFaultEvent'],
      means: 'the cash desk could not write a credit to the journal',
    },
    'ref-conflict': {
      from: ['PaymentFaultEvent'],
      means: 'a credit came under a ref journaled before for other money: not credited, staff reconcile',
    },
    'not-ready': {
      from: ['PaymentFaultEvent'],
      means: 'the payment device is not ready and names no reason',
    },
  },

  /** `PrintsOwedError`: printing failed after payment; the sheets are owed. */
  printing: {
    'prints-owed': {
      from: ['PrintsOwedError'],
      means: 'the printer failed; the sheets not out are owed and print later',
    },
  },

  /** Making the document's photos failed. */
  production: {
    'image-corrupt': { from: ['ProductionError'], means: 'the still cannot be read as an image' },
    'production-failed': {
      from: ['ProductionError'],
      means: 'the photos could not be made (declared, not thrown today)',
    },
    'not-compliant': {
      from: ['BoothServiceError'],
      means: 'the photo made from the still breaks a rule of the document',
    },
  },

  /** `ProductionInputError`: what sheet planning, sheet and digital-file encoding refuse. */
  productionInput: {
    'sheet-too-small': {
      from: ['ProductionInputError'],
      means: 'the copies asked for do not fit on the media',
    },
    'invalid-copies': { from: ['ProductionInputError'], means: 'copies is not a whole number in range' },
    'invalid-photo-size': {
      from: ['ProductionInputError'],
      means: "the photo's width or height is not a positive length",
    },
    'invalid-sheet-options': {
      from: ['ProductionInputError'],
      means: 'a sheet option (dpi, gutter, margin, footer) is out of range',
    },
    'unknown-media': { from: ['ProductionInputError'], means: 'the print media is not one the booth knows' },
    'photo-size-mismatch': {
      from: ['ProductionInputError'],
      means: 'the photo is not the pixel size the sheet was planned for',
    },
    'invalid-quality': {
      from: ['ProductionInputError'],
      means: 'a JPEG quality (or quality range) is out of range',
    },
    'invalid-image': {
      from: ['ProductionInputError'],
      means: "the raw pixels do not match the image's size and channels",
    },
    'invalid-byte-range': {
      from: ['ProductionInputError'],
      means: "the digital file's size range is not whole bytes with min <= max",
    },
  },

  /** Face analysis and image decoding. */
  vision: {
    'image-corrupt': {
      from: ['FaceEngineError', 'ImageError'],
      means: 'the bytes are not an image sharp can read (corrupt, truncated, unknown format)',
    },
    'image-invalid': {
      from: ['FaceEngineError'],
      means: 'a raw RGB input whose size does not match, or an empty image',
    },
    'engine-start-failed': {
      from: ['FaceEngineError'],
      means: 'the models could not be loaded or the backend not started',
    },
    'engine-crashed': {
      from: ['FaceEngineError'],
      means: 'the worker thread died during the call (restarted on the next)',
    },
    'engine-timeout': {
      from: ['FaceEngineError'],
      means: "the call took longer than the engine's timeout (worker restarted)",
    },
    'engine-closed': { from: ['FaceEngineError'], means: 'the face engine was closed' },
    'analysis-failed': {
      from: ['FaceEngineError'],
      means: 'face analysis or segmentation failed for another reason',
    },
  },

  /** The encrypted vault and the photo store. */
  storage: {
    tampered: {
      from: ['VaultError'],
      means: 'sealed data is truncated, of an unknown format or failed authentication',
    },
    'key-destroyed': { from: ['VaultError'], means: "the session's key is gone: it is being deleted" },
    'not-found': {
      from: ['VaultError', 'PhotoStoreError'],
      means: 'the item (or receipt code) is not in the store',
    },
    'no-session': { from: ['VaultError'], means: 'the session has no compartment in the vault' },
    'disk-full': {
      from: ['VaultError'],
      means: 'the disk is full (ENOSPC, EDQUOT, SQLITE_FULL while storing)',
    },
    'master-key-unreadable': {
      from: ['VaultError'],
      means: 'the vault master key cannot be read or has the wrong size',
    },
    'master-key-missing': {
      from: ['VaultError'],
      means: 'the vault master key is gone while the vault holds sessions only it can read',
    },
    'master-key-present': {
      from: ['VaultError'],
      means: 'a key reset was asked for while the master key is present and readable',
    },
    'vault-destroyed': {
      from: ['VaultError'],
      means: 'the vault was destroyed at end of service (kiosk decommission): it is not opened again',
    },
    'clock-untrusted': {
      from: ['VaultError'],
      means: 'the clock cannot be trusted for retention (declared, not thrown today)',
    },
  },

  /** The credit journal. */
  journal: {
    'insufficient-credit': {
      from: ['InsufficientCreditError'],
      means: 'the credit does not cover the price',
    },
    'invalid-amount': {
      from: ['JournalError'],
      means: 'a credit is not a positive whole number of minor units',
    },
    'unknown-order': { from: ['JournalError'], means: 'the order is not in the journal' },
    'order-settled': { from: ['JournalError'], means: 'the order is already delivered, reversed or owed' },
    'nothing-owed': { from: ['JournalError'], means: 'prints owed with no sheet left to print' },
    'not-owed': { from: ['JournalError'], means: 'nothing (or not that sheet) is owed for the order' },
    'journal-too-new': {
      from: ['JournalError'],
      means: 'the journal has a newer schema than this build knows',
    },
    'voucher-unknown': { from: ['JournalError'], means: 'no voucher of that code was issued at this booth' },
    'voucher-redeemed': { from: ['JournalError'], means: 'the voucher was redeemed already' },
    'voucher-expired': { from: ['JournalError'], means: 'the voucher is past its last day' },
    'unknown-payout': {
      from: ['JournalError'],
      means: 'the payout is not in the journal or already settled',
    },
    'payout-too-much': { from: ['JournalError'], means: 'a payout or voucher larger than the credit left' },
    'voucher-locked': {
      from: ['BoothServiceError'],
      means: 'too many wrong voucher codes in a row: the code pad rests a few minutes',
    },
  },

  /** The host process (app/host). */
  host: {
    'data-dir-in-use': {
      from: ['DataDirInUseError'],
      means: 'another process holds the lock on the data directory',
    },
  },

  /** The operator's services (app/operator): PINs, the cash box, the paper. */
  operator: {
    'pin-invalid': {
      from: ['OperatorError'],
      means: "a new PIN that is not 4 to 12 digits, is the demo PIN, or is the other role's PIN",
    },
    'counted-invalid': {
      from: ['OperatorError'],
      means: 'a counted cash amount that is not a whole number of minor units, 0 or more',
    },
    'media-count-invalid': {
      from: ['OperatorError'],
      means: 'media loaded for a count of prints that is not a whole number from 1 to 10000',
    },
    'media-wrong': {
      from: ['OperatorError'],
      means: 'media loaded that is not the media the booth prints on (production.media)',
    },
    'not-allowed': {
      from: ['OperatorError'],
      means: 'the role may not do that (an operator changing the technician PIN)',
    },
    'service-state-broken': {
      from: ['OperatorError'],
      means: "the maintenance switch's file (operator/service.json) is not one the booth wrote",
    },
    'receipt-code-invalid': {
      from: ['OperatorError'],
      means: 'what was typed on the receipts page is not a receipt code (10 letters and digits)',
    },
    'receipt-not-found': {
      from: ['OperatorError'],
      means: 'no photos are kept for the receipt code (deleted on request, or past retention)',
    },
    'counter-unknown': {
      from: ['OperatorError'],
      means: 'a counter reset for a name the booth does not count',
    },
    'operator-unavailable': {
      from: ['OperatorError'],
      means: 'operator mode on a booth built without its services (a simulation, a flow test)',
    },
    'product-unknown': {
      from: ['OperatorError'],
      means: 'a price set for a product id that is not in config.products',
    },
    'price-invalid': {
      from: ['OperatorError'],
      means: 'a price that is not a whole number of minor units, 0 or more',
    },
    'owed-not-found': {
      from: ['OperatorError'],
      means: 'no print is owed for that order (delivered, given up, or never owed)',
    },
    'customer-at-booth': {
      from: ['OperatorError'],
      means: 'a money action asked while a customer is at the booth: it waits until between customers',
    },
  },

  /** The control channel of a running booth (app/host/control): `kiosk status`, `cash`, `owed`… */
  control: {
    'request-invalid': {
      from: ['ControlError'],
      means: 'a control request that is not JSON, or whose command or arguments fail the schema',
    },
    'request-too-long': { from: ['ControlError'], means: 'a control request line over 64 KiB' },
    'pin-required': {
      from: ['ControlError'],
      means: 'a command that touches money or a customer sent without the operator PIN',
    },
    'pin-refused': { from: ['ControlError'], means: 'a wrong PIN, or the PIN pad locked after wrong PINs' },
    'booth-not-running': {
      from: ['ControlError'],
      means: "no booth answers on the data directory's control socket (missing or stale)",
    },
    'control-timeout': {
      from: ['ControlError'],
      means: 'the running booth did not answer a request in time',
    },
    'diagnostics-unavailable': {
      from: ['ControlError'],
      means: 'a kiosk diag command to a booth that runs without its diagnostics (app/diagnostics)',
    },
  },

  /** The digital copy and "contact us" outbox (app/services/outbox). */
  outbox: {
    'address-invalid': { from: ['OutboxError'], means: 'what was typed is not an email address' },
    'reason-invalid': { from: ['OutboxError'], means: 'a contact reason that is not on the fixed list' },
    'mail-not-configured': {
      from: ['OutboxError'],
      means: 'an email was asked for while the unit has no mail block (no SMTP server)',
    },
    'no-digital-file': {
      from: ['OutboxError'],
      means: 'a digital copy asked for a session whose digital file is not (or no longer) in the vault',
    },
    'digital-file-out-of-range': {
      from: ['OutboxError'],
      means: "the digital file is not a JPEG within its document spec's byte range: not sent",
    },
    'message-not-found': {
      from: ['OutboxError'],
      means: 'an outbox id that is not waiting (sent, shredded or never there)',
    },
    'pickup-template-invalid': {
      from: ['OutboxError'],
      means: 'a pickup URL template that is not https or lacks {token}',
    },
  },

  /** End of service (app/services/decommission): `kiosk decommission`. */
  decommission: {
    'technician-pin-required': {
      from: ['DecommissionError'],
      means: 'decommissioning asked without the technician PIN (a wrong PIN, an operator PIN, a locked pad)',
    },
    'owed-work-unsettled': {
      from: ['DecommissionError'],
      means: 'owed prints could be neither delivered nor handed back: decommissioning waits for them',
    },
  },

  /** The unit's configuration. */
  config: {
    'config-invalid': { from: ['ConfigError'], means: 'a config or document file fails validation' },
    'unknown-product': { from: ['BoothServiceError'], means: 'a product id that is not in config.products' },
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, ErrorEntry>>>>;

export type ErrorRegistry = typeof errorRegistry;
export type ErrorGroup = keyof ErrorRegistry;
/** The codes of one group. */
export type CodeOf<G extends ErrorGroup> = keyof ErrorRegistry[G] & string;
/** Every code the booth names. */
export type ErrorCode = { [G in ErrorGroup]: CodeOf<G> }[ErrorGroup];

export type CameraCode = CodeOf<'camera'>;
export type PaymentDeviceCode = CodeOf<'paymentDevice'>;
/** Where the entry `code` of `group` comes from. */
type SourcesOf<G extends ErrorGroup, C extends CodeOf<G>> = ErrorRegistry[G][C] extends {
  readonly from: readonly (infer S)[];
}
  ? S
  : never;
/** The codes of `group` that `source` carries (for a group whose codes come from more than one). */
type CodesFrom<G extends ErrorGroup, S extends ErrorSource> = {
  [C in CodeOf<G>]: S extends SourcesOf<G, C> ? C : never;
}[CodeOf<G>];
/** What a hopper's DeviceError carries. */
export type HopperCode = CodesFrom<'hopper', 'DeviceError'>;
/** Why a payout stopped short (`PayoutResult.fault`). */
export type PayoutFaultCode = CodesFrom<'hopper', 'PayoutResult'>;
export type PhotoPrinterCode = CodeOf<'photoPrinter'> | IppCode;
export type ReceiptPrinterCode = CodeOf<'receiptPrinter'>;
export type IppCode = CodeOf<'ipp'>;
export type CcTalkCode = CodeOf<'ccTalk'>;
/** A coin or bill event the booth has no name for, named by its numbers. */
export type OpenPaymentFaultCode =
  `coin-error-${number}` | `bill-event-${number}` | `bill-event-${number}-${number}`;
export type PaymentFaultCode = CodeOf<'paymentFault'> | OpenPaymentFaultCode;
export type ProductionCode = CodeOf<'production'>;
export type ProductionInputCode = CodeOf<'productionInput'>;
export type VisionCode = CodeOf<'vision'>;
export type StorageCode = CodeOf<'storage'>;
export type JournalCode = CodeOf<'journal'>;
export type ConfigCode = CodeOf<'config'>;
export type OperatorCode = CodeOf<'operator'>;
export type ControlCode = CodeOf<'control'>;
export type OutboxCode = CodeOf<'outbox'>;
export type DecommissionCode = CodeOf<'decommission'>;

/** What a `DeviceError` can carry, per kind of device. */
export interface DeviceCodes {
  camera: CameraCode;
  payment: PaymentDeviceCode;
  'photo-printer': PhotoPrinterCode;
  'receipt-printer': ReceiptPrinterCode;
  hopper: HopperCode;
}
export type DeviceKind = keyof DeviceCodes;

/**
 * Codes that more than one group names on purpose: the same failure on different devices or
 * layers (a flow, a log line or a metric need not know which layer said `timeout`).
 */
export const sharedErrorCodes = {
  timeout: 'no answer in time, from any device or link',
  closed: 'a device or line used while closed',
  disconnected: 'a device that went away',
  offline: 'a printer that is not there',
  'media-empty': 'a printer out of paper',
  'media-jam': 'a printer with paper jammed',
  busy: 'a ccTalk BUSY (line, payment device, hopper), or a camera that stays busy (autofocus)',
  refused:
    'the other end refused the request (IPP error status; ccTalk NAK as the payment device and hopper name it)',
  'wrong-device': 'a ccTalk address answering as another kind of device (payment device or hopper)',
  'line-errors': 'ccTalk replies with bad checksums or addresses (payment device or hopper)',
  'adapter-error': 'an adapter failing for another reason (payment device, hopper or camera)',
  jam: 'a jam: a note in the simulated validator, or coins in the hopper',
  'route-failed': 'a note that could not be routed: thrown by a command, or told as a fault event',
  'image-corrupt': 'an unreadable image, from the decoder and from production (which passes it on)',
} as const satisfies Readonly<Partial<Record<ErrorCode, string>>>;

const groupsOf = new Map<string, ErrorGroup[]>();
for (const group of Object.keys(errorRegistry) as ErrorGroup[]) {
  for (const code of Object.keys(errorRegistry[group]))
    groupsOf.set(code, [...(groupsOf.get(code) ?? []), group]);
}

/** Every registered code, once. */
export const errorCodes: readonly ErrorCode[] = [...groupsOf.keys()] as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && groupsOf.has(value);
}

/** Whether `value` is a code of `group`. */
export function isCodeOf<G extends ErrorGroup>(group: G, value: unknown): value is CodeOf<G> {
  return typeof value === 'string' && Object.hasOwn(errorRegistry[group], value);
}

/** The groups that name `code` (more than one only for `sharedErrorCodes`). */
export function groupsOfCode(code: ErrorCode): readonly ErrorGroup[] {
  return groupsOf.get(code) ?? [];
}

/**
 * The base of the booth's errors: a registered `code` a flow can match without parsing text,
 * and the error it came from as `cause`.
 */
export class BoothError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BoothError';
  }
}

/**
 * The registered code of any booth error (any object with a registered string `code`, so it
 * reads errors that crossed a worker boundary too), else `'error'`. It never maps other codes:
 * a Node or SQLite disk-full code becomes `disk-full` only where the vault says so
 * (`isDiskFullCode`).
 */
export function errorCode(error: unknown): ErrorCode | 'error' {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return isErrorCode(code) ? code : 'error';
}

/**
 * Codes of errors from outside the booth: Node system calls (`ENOSPC`, `ERR_…`), SQLite
 * (`SQLITE_BUSY`), other libraries (`ABORT_ERR`). Upper case, never registered; a fault record
 * keeps them as they come.
 */
export type ForeignCode = Uppercase<string>;

/** The foreign (upper-case) code of an error, or null. */
export function foreignCode(error: unknown): ForeignCode | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? (code as ForeignCode) : null;
}

/** What a fault record names: a booth code, a foreign code as it came, or `error`. */
export type FaultCode = ErrorCode | ForeignCode | 'error';

/** Node and SQLite codes that mean the disk is full. */
export const diskFullCodes = ['ENOSPC', 'EDQUOT', 'SQLITE_FULL'] as const;

export function isDiskFullCode(code: unknown): code is (typeof diskFullCodes)[number] {
  return (diskFullCodes as readonly unknown[]).includes(code);
}
