/**
 * The data blocks of the ccTalk hopper commands (generic specification, part 2, headers 163 to
 * 172 and 217), both ways: the hopper adapter reads them, the hopper emulator writes them. A
 * reply of the wrong size is a `wrong-reply`: a hopper that answers 166 with three bytes is not
 * one the booth understands, and guessing a payout's progress from it would be guessing money.
 */

import { HopperFlag, LevelBit, type HopperFlagName } from './cctalk-codes.ts';
import { CcTalkError } from './cctalk-link.ts';

/** Request hopper status (166). */
export interface HopperStatusData {
  /** Counts valid dispense commands 1 to 255 (wrapping to 1); 0 only after power-up or reset. */
  readonly eventCounter: number;
  /** Coins of the current payout still to come out; 0 when the hopper is idle. */
  readonly remaining: number;
  /** Coins the last (or current) payout has paid so far. */
  readonly paid: number;
  /** Coins the last payout did not pay (it stopped short: empty, jam, emergency stop). */
  readonly unpaid: number;
}

export function encodeHopperStatus(status: HopperStatusData): Uint8Array {
  return Uint8Array.of(status.eventCounter, status.remaining, status.paid, status.unpaid);
}

export function decodeHopperStatus(data: Uint8Array): HopperStatusData {
  sizeOrThrow('the hopper status (166)', data, 4);
  return { eventCounter: data[0]!, remaining: data[1]!, paid: data[2]!, unpaid: data[3]! };
}

/** The dispense counter (168) is 24 bits, least significant byte first. */
export const maxDispenseCount = 0xffffff;

export function encodeDispenseCount(count: number): Uint8Array {
  return Uint8Array.of(count & 0xff, (count >> 8) & 0xff, (count >> 16) & 0xff);
}

export function decodeDispenseCount(data: Uint8Array): number {
  sizeOrThrow('the hopper dispense count (168)', data, 3);
  return data[0]! | (data[1]! << 8) | (data[2]! << 16);
}

/** One dispense command pays at most this many coins: the count is one byte. */
export const maxCoinsPerDispense = 255;

/**
 * Dispense hopper coins (167) for a hopper without encryption: its serial number (LSB first) as
 * the security bytes, then the number of coins. A hopper refuses (NAK) a serial that is not its
 * own, so a dispense meant for one hopper cannot pay out of another.
 */
export function encodeDispense(serialNumber: number, coins: number): Uint8Array {
  if (!Number.isInteger(coins) || coins < 1 || coins > maxCoinsPerDispense) {
    throw new RangeError(`one dispense pays 1 to ${maxCoinsPerDispense} coins, not ${coins}`);
  }
  return Uint8Array.of(serialNumber & 0xff, (serialNumber >> 8) & 0xff, (serialNumber >> 16) & 0xff, coins);
}

/** The serial number and coin count of a dispense command; undefined when it is not 4 bytes. */
export function decodeDispense(data: Uint8Array): { serialNumber: number; coins: number } | undefined {
  if (data.length !== 4) return undefined;
  return { serialNumber: data[0]! | (data[1]! << 8) | (data[2]! << 16), coins: data[3]! };
}

/** Test hopper (163): the flags set in its three status registers. */
export function encodeHopperFlags(flags: Iterable<HopperFlagName>): Uint8Array {
  const registers = new Uint8Array(3);
  for (const name of flags) {
    const [register, bit] = HopperFlag[name];
    registers[register - 1]! |= 1 << bit;
  }
  return registers;
}

/** Reads one, two or three registers (older hoppers send fewer); flags it does not send are off. */
export function decodeHopperFlags(data: Uint8Array): Set<HopperFlagName> {
  if (data.length < 1 || data.length > 3) {
    throw new CcTalkError('wrong-reply', `test hopper (163) answered ${data.length} bytes, not 1 to 3`);
  }
  const flags = new Set<HopperFlagName>();
  for (const [name, [register, bit]] of Object.entries(HopperFlag) as [HopperFlagName, [number, number]][]) {
    const value = data[register - 1];
    if (value !== undefined && (value & (1 << bit)) !== 0) flags.add(name);
  }
  return flags;
}

/** What the level sensors say (217); null where the hopper has no such sensor. */
export interface HopperLevelData {
  /** Below the low level trigger. */
  readonly low: boolean | null;
  /** At or above the high level trigger. */
  readonly high: boolean | null;
}

export function encodeLevel(level: HopperLevelData): Uint8Array {
  let byte = 0;
  if (level.low !== null) byte |= LevelBit.LowSensorFitted | (level.low ? LevelBit.Low : 0);
  if (level.high !== null) byte |= LevelBit.HighSensorFitted | (level.high ? LevelBit.High : 0);
  return Uint8Array.of(byte);
}

export function decodeLevel(data: Uint8Array): HopperLevelData {
  sizeOrThrow('the payout high / low status (217)', data, 1);
  const byte = data[0]!;
  return {
    low: byte & LevelBit.LowSensorFitted ? (byte & LevelBit.Low) !== 0 : null,
    high: byte & LevelBit.HighSensorFitted ? (byte & LevelBit.High) !== 0 : null,
  };
}

function sizeOrThrow(what: string, data: Uint8Array, size: number): void {
  if (data.length !== size) {
    throw new CcTalkError('wrong-reply', `${what} has ${data.length} bytes, not ${size}`);
  }
}
