/**
 * Event and error codes of ccTalk coin acceptors and bill validators (ccTalk generic
 * specification, part 3). The simulator reports with them; the adapters turn them into the
 * booth's payment events.
 */

/** The header of a reply: what the device made of the command. */
export const ReplyHeader = { Ack: 0, Nak: 5, Busy: 6 } as const;

/** Result B of a credit buffer slot (header 229) whose result A is 0: what went wrong. */
export const CoinError = {
  NullEvent: 0,
  RejectCoin: 1,
  InhibitedCoin: 2,
  CreditSequenceError: 16,
  CoinGoingBackwards: 17,
  /** "C.O.S. mechanism activated": a coin on a string was pulled back (string fraud). */
  CoinOnString: 20,
  RejectSlug: 25,
  /** "Coin return mechanism activated": the flight deck is open. */
  FlightDeckOpen: 254,
  UnspecifiedAlarm: 255,
} as const;

/** Coin error codes 128 to 159 say which channel's coin came in while inhibited. */
export const firstInhibitedChannelCode = 128;

/** Every coin error code's meaning in the specification's words, for logs and the status page. */
export const coinErrorText: Readonly<Record<number, string>> = {
  0: 'null event (no error)',
  1: 'reject coin',
  2: 'inhibited coin',
  3: 'multiple window',
  4: 'wake-up timeout',
  5: 'validation timeout',
  6: 'credit sensor timeout',
  7: 'sorter opto timeout',
  8: '2nd close coin error',
  9: 'accept gate not ready',
  10: 'credit sensor not ready',
  11: 'sorter not ready',
  12: 'reject coin not cleared',
  13: 'validation sensor not ready',
  14: 'credit sensor blocked',
  15: 'sorter opto blocked',
  16: 'credit sequence error',
  17: 'coin going backwards',
  18: 'coin too fast (over credit sensor)',
  19: 'coin too slow (over credit sensor)',
  20: 'C.O.S. mechanism activated (coin on string)',
  21: 'DCE opto timeout',
  22: 'DCE opto not seen',
  23: 'credit sensor reached too early',
  24: 'reject coin (repeated sequential trip)',
  25: 'reject slug',
  26: 'reject sensor blocked',
  27: 'games overload',
  28: 'max. coin meter pulses exceeded',
  29: 'accept gate open not closed',
  30: 'accept gate closed not open',
  31: 'manifold opto timeout',
  32: 'manifold opto blocked',
  33: 'manifold not ready',
  34: 'security status changed',
  35: 'motor exception',
  36: 'swallowed coin',
  37: 'coin too fast (over validation sensor)',
  38: 'coin too slow (over validation sensor)',
  39: 'coin incorrectly sorted',
  40: 'external light attack',
  253: 'data block request',
  254: 'coin return mechanism activated (flight deck open)',
  255: 'unspecified alarm code',
};

/** Result B of a bill event slot (header 159) whose result A is a bill type. */
export const BillCredit = {
  /** Validated correctly and sent to the cashbox or stacker: the money is taken. */
  Stacked: 0,
  /** Validated correctly and held in escrow, waiting for route bill (154). */
  Escrow: 1,
} as const;

/** Result B of a bill event slot whose result A is 0: a status or an error. */
export const BillEvent = {
  MasterInhibitActive: 0,
  ReturnedFromEscrow: 1,
  InvalidBillValidation: 2,
  InvalidBillTransport: 3,
  InhibitedBillSerial: 4,
  InhibitedBillDipSwitch: 5,
  JammedInTransportUnsafe: 6,
  JammedInStacker: 7,
  PulledBackwards: 8,
  BillTamper: 9,
  StackerOk: 10,
  StackerRemoved: 11,
  StackerInserted: 12,
  StackerFaulty: 13,
  StackerFull: 14,
  StackerJammed: 15,
  JammedInTransportSafe: 16,
  OptoFraud: 17,
  StringFraud: 18,
  AntiStringFaulty: 19,
  BarcodeDetected: 20,
  UnknownBillTypeStacked: 21,
} as const;

export const billEventText: Readonly<Record<number, string>> = {
  0: 'master inhibit active',
  1: 'bill returned from escrow',
  2: 'invalid bill (validation fail)',
  3: 'invalid bill (transport problem)',
  4: 'inhibited bill (on serial)',
  5: 'inhibited bill (on DIP switches)',
  6: 'bill jammed in transport (unsafe mode)',
  7: 'bill jammed in stacker',
  8: 'bill pulled backwards',
  9: 'bill tamper',
  10: 'stacker OK',
  11: 'stacker removed',
  12: 'stacker inserted',
  13: 'stacker faulty',
  14: 'stacker full',
  15: 'stacker jammed',
  16: 'bill jammed in transport (safe mode)',
  17: 'opto fraud detected',
  18: 'string fraud detected',
  19: 'anti-string mechanism faulty',
  20: 'barcode detected',
  21: 'unknown bill type stacked',
};

/** Data of route bill (154). */
export const RouteBill = { Return: 0, Stack: 1, ExtendEscrowTimeout: 255 } as const;

/** A route bill reply's one data byte when it could not do it (an ACK means it did). */
export const RouteBillError = { EscrowEmpty: 254, FailedToRoute: 255 } as const;

/** Master inhibit (228) data: bit 0 set means normal operation, clear means inhibit all. */
export const MasterInhibit = { Inhibited: 0, Accepting: 1 } as const;

/** Enable hopper (164) data: this byte enables payout, any other value disables it. */
export const EnableHopperCode = 165;

/**
 * The three hopper status registers test hopper (163) answers (the SCH3 format; older hoppers
 * send only the first one or two). Bit n of register r is `HopperFlag.X = [r, n]`.
 */
export const HopperFlag = {
  MaxCurrentExceeded: [1, 0],
  PayoutTimeout: [1, 1],
  MotorReversedToClearJam: [1, 2],
  OptoPathBlockedIdle: [1, 3],
  OptoShortCircuitIdle: [1, 4],
  OptoBlockedDuringPayout: [1, 5],
  PowerUp: [1, 6],
  PayoutDisabled: [1, 7],
  OptoShortCircuitPayout: [2, 0],
  SingleCoinMode: [2, 1],
  UseOtherHopper: [2, 2],
  OptoFingerMismatch: [2, 3],
  MotorReverseLimit: [2, 4],
  InductiveCoilFault: [2, 5],
  NvMemoryChecksumError: [2, 6],
  PinMechanism: [2, 7],
  PowerDownDuringPayout: [3, 0],
  UnknownCoinPaid: [3, 1],
  PinIncorrect: [3, 2],
  CipherKeyIncorrect: [3, 3],
  EncryptionEnabled: [3, 4],
} as const satisfies Record<string, readonly [1 | 2 | 3, number]>;

export type HopperFlagName = keyof typeof HopperFlag;

/** Request payout high / low status (217): the level sensors and whether they are fitted. */
export const LevelBit = {
  /** Set: the coins are below the low level trigger. */
  Low: 1 << 0,
  /** Set: the coins are at or above the high level trigger. */
  High: 1 << 1,
  LowSensorFitted: 1 << 4,
  HighSensorFitted: 1 << 5,
} as const;
