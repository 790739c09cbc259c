import type { CcTalkHost } from '../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { openHopperBus, type HopperBusOptions } from '../hardware/cctalk/cctalk-hopper-bus.ts';
import { realTime } from './device-time.ts';
import { describeHopperContract, type HopperFixture } from './hopper-contract.ts';

const startCoins = 14;
const lowLevel = 10;

/**
 * The ccTalk hopper adapter against a hopper emulated on the far end of a real pty pair, beside
 * a coin acceptor on the same bus; the driver acts on the emulator. `reopen` is a restarted
 * booth: a new host and a new adapter on the same line, the same hopper behind it.
 */
async function ccTalkFixture(options: HopperBusOptions): Promise<HopperFixture> {
  const bus = await openHopperBus({ ...options, hopper: { coins: startCoins, lowLevel } });
  let host: CcTalkHost = bus.host;
  return {
    device: bus.adapter(),
    driver: {
      coinsOut: () => bus.hopper.dispensed,
      load: (coins) => bus.hopper.load(coins),
      emptyAfter: (coins) => bus.hopper.failNextPayout('empty', coins),
      jamAfter: (coins) => bus.hopper.failNextPayout('jam', coins),
    },
    time: realTime(),
    startCoins,
    lowLevel,
    reopen: async () => {
      await host.close();
      host = await bus.openHost();
      return bus.adapter({}, host);
    },
    teardown: () => bus.close(),
  };
}

describeHopperContract('CcTalkHopper over a pty (simple checksum, no echo)', () => ccTalkFixture({}));

describeHopperContract('CcTalkHopper over a pty (CRC-16, single-wire echo)', () =>
  ccTalkFixture({ checksum: 'crc16', echo: true }),
);
