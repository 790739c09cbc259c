import type { Clock } from '../../../../core/clock.ts';
import type { CoinHopper } from '../../../hopper/hopper-port.ts';
import type { CcTalkPaymentConfig } from '../cctalk-config.ts';
import type { CcTalkEmulators } from '../emulators/cctalk-emulators.ts';
import { CcTalkHopper } from './cctalk-hopper.ts';
import { DeferredCcTalkLink } from './cctalk-payment-device.ts';
import { ccTalkLines, type CcTalkLines } from './cctalk-shared-line.ts';

export interface CcTalkHopperDeps {
  clock: Clock;
  /** The booth's ccTalk lines (the process's own by default): shared with the payment device. */
  lines?: CcTalkLines;
  /** Emulators already running, as the payment device was given them (`kiosk simulate`). */
  emulators?: CcTalkEmulators;
  /** With `port: "simulator"`: where the emulated hopper keeps its dispense count. */
  stateFile?: string;
  /** Coins the emulated hopper starts with (`port: "simulator"`). */
  emulatedCoins?: number;
}

/** A ccTalk hopper that holds its share of the line. */
export interface CcTalkHopperDevice extends CoinHopper {
  /** The adapter itself (identity, address) for diagnostics. */
  readonly adapter: CcTalkHopper;
}

/**
 * The hopper at `hopper.address` on the ccTalk line `payment` (`hardware.payment`) describes:
 * it leases the same line as the coin acceptor and bill validator (one host on the port), and
 * on `port: "simulator"` puts an emulated hopper on the emulators' bus. Nothing opens here;
 * the line is leased at the first command and let go on close.
 */
export function createCcTalkHopper(
  hopper: { readonly address: number; readonly coinValue: number },
  payment: CcTalkPaymentConfig,
  deps: CcTalkHopperDeps,
): CcTalkHopperDevice {
  const lines = deps.lines ?? ccTalkLines;
  const link = new DeferredCcTalkLink(
    async () => {
      const lease = await lines.lease(payment, deps.emulators);
      try {
        lease.emulators?.addHopper({
          address: hopper.address,
          stateFile: deps.stateFile,
          coins: deps.emulatedCoins,
        });
      } catch (error) {
        await lease.close();
        throw error;
      }
      return lease;
    },
    { clock: deps.clock },
  );
  const device = new CcTalkHopper({
    link,
    address: hopper.address,
    coinValue: hopper.coinValue,
    clock: deps.clock,
  });
  return {
    adapter: device,
    get kind() {
      return device.kind;
    },
    get deviceId() {
      return device.deviceId;
    },
    get coinValue() {
      return device.coinValue;
    },
    open: () => device.open(),
    // The hopper lets go of its share of the line; the line closes with its last holder.
    close: async () => {
      try {
        await device.close();
      } finally {
        await link.close();
      }
    },
    status: () => device.status(),
    onStatus: (listener) => device.onStatus(listener),
    dispensedCount: () => device.dispensedCount(),
    payout: (amount) => device.payout(amount),
  };
}
