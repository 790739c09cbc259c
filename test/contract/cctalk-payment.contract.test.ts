import {
  billValues,
  busBills,
  busCoins,
  channelFor,
  coinValues,
  MemoryCounterStore,
  openBus,
  type BusOptions,
} from '../hardware/cctalk/cctalk-bus.ts';
import { realTime } from './device-time.ts';
import { describePaymentContract, type PaymentFixture } from './payment-contract.ts';

/**
 * The ccTalk adapter against a coin acceptor and a bill validator emulated on the far end of a
 * real pty pair; the driver is a customer at the emulators. The counter store stands in for the
 * journal: it keeps each credit's event counter, as the journal does in the credit's transaction.
 */
async function ccTalkFixture(options: BusOptions): Promise<PaymentFixture> {
  const bus = await openBus(options);
  const store = new MemoryCounterStore();
  const device = bus.payment(store);
  device.onEvent((event) => store.journal(event));
  return {
    device,
    driver: {
      currency: 'EUR',
      coin: 200,
      bill: 1000,
      unknownValue: 3,
      insertCoin: (value) => void bus.coin.insertCoin(channelFor(busCoins, coinValues, value)),
      insertBill: (value) => void bus.bill.insertBill(channelFor(busBills, billValues, value)),
    },
    time: realTime(),
    teardown: () => bus.close(),
  };
}

describePaymentContract('CcTalkPayment over a pty (simple checksum, no echo)', () => ccTalkFixture({}));

describePaymentContract('CcTalkPayment over a pty (CRC-16, single-wire echo)', () =>
  ccTalkFixture({ checksum: 'crc16', echo: true }),
);
