import { DeviceError } from '../device-status.ts';
import type { HopperStatus, MinorUnits } from './hopper-port.ts';

/**
 * The number of coins `amount` is, or a DeviceError (`bad-amount`) before anything moves: a
 * hopper pays whole coins of one value, so an amount that is not a positive whole multiple of
 * it cannot be paid exactly and is refused rather than rounded.
 */
export function checkPayoutAmount(amount: MinorUnits, coinValue: MinorUnits): number {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount % coinValue !== 0) {
    throw new DeviceError(
      'hopper',
      'bad-amount',
      `a payout is a positive whole number of ${coinValue}-unit coins; ${amount} is not`,
    );
  }
  return amount / coinValue;
}

/**
 * The level a hopper with `coins` in it reports: `low` below its low-level trigger (as ccTalk's
 * level sensor says it, 217), `empty` with none left.
 */
export function levelOf(coins: number, lowLevel: number): HopperStatus['level'] {
  if (coins <= 0) return 'empty';
  return coins < lowLevel ? 'low' : 'ok';
}
