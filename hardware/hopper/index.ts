import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { PaymentConfig } from '../payment/index.ts';
import { createCcTalkHopper } from '../payment/cctalk/adapter/cctalk-hopper-device.ts';
import type { CcTalkLines } from '../payment/cctalk/adapter/cctalk-shared-line.ts';
import type { CcTalkEmulators } from '../payment/cctalk/emulators/cctalk-emulators.ts';
import type { CoinHopper } from './hopper-port.ts';
import { SimulatedHopper } from './simulated-hopper.ts';

export type { CoinHopper, HopperStatus, PayoutResult } from './hopper-port.ts';
export { SimulatedHopper } from './simulated-hopper.ts';

/** The one coin a hopper pays, minor units (a hopper holds coins of one value). */
const coinValue = z
  .number()
  .int('must be a whole number of minor units')
  .positive('must be above 0')
  .max(100_000, 'must be at most 100000 minor units (a coin, not a note)');

/** Address 0 is broadcast and 1 the host; ccTalk hoppers come at 3 and up. */
const address = z
  .number()
  .int('must be a whole number')
  .min(2, 'must be 2 to 255 (0 is broadcast, 1 is the host)')
  .max(255, 'must be 2 to 255');

/**
 * `hardware.hopper`: what pays unused credit back as coins. `none` (the default): the booth has
 * no hopper and hands vouchers. `simulated`: a simulated hopper with `coins` of `coinValue` in
 * it (demos, `kiosk simulate`). `cctalk`: a ccTalk payout hopper at `address` on the same serial
 * line as `hardware.payment` (which must be `cctalk`): one host drives the whole bus.
 */
export const hopperConfigSchema = z
  .discriminatedUnion('adapter', [
    z.strictObject({ adapter: z.literal('none') }),
    z.strictObject({
      adapter: z.literal('simulated'),
      coinValue: coinValue.default(100),
      /** Coins in it when the booth starts. */
      coins: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(100_000).default(200),
    }),
    z.strictObject({
      adapter: z.literal('cctalk'),
      address: address.default(3),
      coinValue,
    }),
  ])
  .default({ adapter: 'none' });

export type HopperConfig = z.infer<typeof hopperConfigSchema>;

/**
 * Cross-checks with `hardware.payment`: a ccTalk hopper rides on the payment device's ccTalk
 * line, so that must be a ccTalk line, and the hopper needs an address of its own on it.
 */
export function checkHopperAgainstPayment(
  hopper: HopperConfig,
  payment: PaymentConfig,
  addIssue: (path: (string | number)[], message: string) => void,
): void {
  if (hopper.adapter !== 'cctalk') return;
  if (payment.adapter !== 'cctalk') {
    addIssue(
      ['hardware', 'hopper', 'adapter'],
      `"cctalk" needs hardware.payment.adapter "cctalk": the hopper shares its serial line (it is "${payment.adapter}")`,
    );
    return;
  }
  const taken = [
    ['coin acceptor', payment.coin?.address],
    ['bill validator', payment.bill?.address],
  ] as const;
  for (const [device, at] of taken) {
    if (at === hopper.address)
      addIssue(
        ['hardware', 'hopper', 'address'],
        `is ${at}, the ${device}'s address too: each device on the line needs its own`,
      );
  }
}

export interface HopperDeps {
  clock: Clock;
  /** `hardware.payment`: the ccTalk line a ccTalk hopper shares. */
  payment: PaymentConfig;
  /**
   * Where a simulated (or emulated, on `port: "simulator"`) hopper keeps its lifetime dispense
   * count, so it survives a kill -9 of the booth as a real hopper's NV memory does.
   */
  stateFile?: string;
  /** Emulators already running that the payment device was given. */
  emulators?: CcTalkEmulators;
  lines?: CcTalkLines;
}

/** The hopper a config names, not yet opened; undefined for `none`. */
export function createHopper(config: HopperConfig, deps: HopperDeps): CoinHopper | undefined {
  if (config.adapter === 'none') return undefined;
  if (config.adapter === 'simulated') return createSimulatedHopper(config, deps);
  if (deps.payment.adapter !== 'cctalk') {
    throw new Error('hardware.hopper "cctalk" needs hardware.payment "cctalk": it shares that serial line');
  }
  return createCcTalkHopper(config, deps.payment, {
    clock: deps.clock,
    lines: deps.lines,
    emulators: deps.emulators,
    stateFile: deps.stateFile,
  });
}

/**
 * A simulated hopper for any config that names one (`kiosk simulate`, the autoplay demo): the
 * coin value and coins of a `simulated` config, the coin value of a `cctalk` one (200 coins).
 */
export function createSimulatedHopper(
  config: Exclude<HopperConfig, { adapter: 'none' }>,
  deps: Pick<HopperDeps, 'clock' | 'stateFile'>,
): SimulatedHopper {
  return new SimulatedHopper({
    clock: deps.clock,
    coinValue: config.coinValue,
    coins: config.adapter === 'simulated' ? config.coins : 200,
    stateFile: deps.stateFile,
  });
}
