import type { HopperCode, PayoutFaultCode } from '../../../../core/errors.ts';
import { DeviceError } from '../../../device-status.ts';
import type { HopperStatus } from '../../../hopper/hopper-port.ts';
import type { HopperFlagName } from '../driver/cctalk-codes.ts';
import type { HopperLevelData } from '../driver/cctalk-hopper-data.ts';
import { CcTalkError } from '../driver/cctalk-link.ts';

/**
 * Why a payout stopped short, from the hopper's test flags (163) and level sensor (217) read
 * after it stopped. The most specific flag wins: a power cut or a jam explains a payout timeout
 * that comes with it. A payout timeout alone means no coin reached the exit in time: the hopper
 * ran dry, unless its low-level sensor is fitted and says coins are there (then it is a timeout:
 * something keeps them from the exit).
 */
export function payoutFaultOf(
  flags: ReadonlySet<HopperFlagName>,
  level: HopperLevelData | undefined,
): PayoutFaultCode {
  if (flags.has('PowerDownDuringPayout')) return 'power-down';
  if (flags.has('NvMemoryChecksumError')) return 'nv-memory-error';
  if (
    flags.has('OptoBlockedDuringPayout') ||
    flags.has('MotorReverseLimit') ||
    flags.has('MaxCurrentExceeded')
  )
    return 'jam';
  if (flags.has('OptoShortCircuitPayout') || flags.has('OptoFingerMismatch')) return 'exit-fraud';
  if (flags.has('PayoutTimeout')) return level?.low === false ? 'timeout' : 'empty';
  if (flags.has('PayoutDisabled')) return 'payout-disabled';
  return 'hopper-fault';
}

/**
 * The level the booth shows: the low-level sensor where one is fitted, and `empty` after a
 * payout that ran dry until the sensor says the coins are back above its trigger (a hopper has
 * no "empty" sensor: running dry is how it finds out).
 */
export function levelOf(level: HopperLevelData | undefined, ranDry: boolean): HopperStatus['level'] {
  if (level?.low === false) return 'ok';
  if (ranDry) return 'empty';
  if (level?.low === true) return 'low';
  return 'unknown';
}

/** The hopper's DeviceError code for a failed command. */
export function hopperReasonOf(error: unknown): HopperCode {
  if (DeviceError.of(error, 'hopper')) return error.code;
  if (!(error instanceof CcTalkError)) return 'adapter-error';
  switch (error.code) {
    case 'timeout':
      return 'timeout';
    case 'closed':
      return 'disconnected';
    case 'nak':
      return 'refused';
    case 'busy':
      return 'busy';
    default:
      return 'line-errors';
  }
}

/** The error as the hopper's DeviceError, saying what it was doing. */
export function hopperError(error: unknown, address: number, what: string): DeviceError<'hopper'> {
  if (DeviceError.of(error, 'hopper')) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new DeviceError(
    'hopper',
    hopperReasonOf(error),
    `the hopper at address ${address}: ${what}: ${text}`,
  );
}
