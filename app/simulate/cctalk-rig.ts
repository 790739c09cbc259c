import type { Clock } from '../../core/clock.ts';
import { Header } from '../../hardware/payment/cctalk/driver/cctalk-link.ts';
import type { EventCounterStore } from '../../hardware/payment/payment-port.ts';
import type { LineCounters } from '../../hardware/payment/cctalk/driver/cctalk-host.ts';
import type { PaymentDevice } from '../../hardware/payment/payment-port.ts';
import {
  ccTalkPaymentSchema,
  type CcTalkPaymentConfig,
} from '../../hardware/payment/cctalk/cctalk-config.ts';
import type { BoothConfig } from '../../config/schema.ts';
import { CcTalkEmulators } from '../../hardware/payment/cctalk/emulators/cctalk-emulators.ts';
import { createCcTalkPayment } from '../../hardware/payment/cctalk/adapter/cctalk-payment-device.ts';
import type { CcTalkFaultTargets } from './fault-plan.ts';

/**
 * `kiosk simulate --payment cctalk`: the booth pays through the real ccTalk adapter and host on
 * a real pty pair, with the coin acceptor and bill validator emulators on the other end. The
 * scripted customers drop their money into the emulators; line faults strike there.
 */
export interface CcTalkRig extends CcTalkFaultTargets {
  readonly payment: PaymentDevice;
  /** Config as the customers see it: they carry only coins and notes the devices know. */
  readonly customerConfig: BoothConfig;
  /** What the emulators' cash box and stacker took, minor units. */
  cashBoxTotal(): number;
  /** What the host saw on the line: commands, retries, noise (garbage, bad checksums), stray frames. */
  lineCounters(): Readonly<LineCounters> | null;
  close(): Promise<void>;
}

export async function openCcTalkRig(
  config: BoothConfig,
  deps: { clock: Clock; counters: EventCounterStore },
): Promise<CcTalkRig> {
  const payment = simulatorPaymentConfig(config);
  const emulators = await CcTalkEmulators.open(payment);
  const waiting = { coin: [] as (() => void)[], bill: [] as (() => void)[] };
  const device = createCcTalkPayment(payment, {
    clock: deps.clock,
    currency: config.currency,
    counters: deps.counters,
    emulators,
    onReply: (address, header) => {
      const which =
        header === Header.ReadBufferedCredit && address === payment.coin?.address
          ? 'coin'
          : header === Header.ReadBufferedBillEvents && address === payment.bill?.address
            ? 'bill'
            : null;
      if (which) for (const fn of waiting[which].splice(0)) fn();
    },
  });
  return {
    emulators,
    payment: device,
    customerConfig: {
      ...config,
      money: { ...config.money, coins: emulators.coinValues, bills: emulators.billValues },
    },
    afterNextPoll: (which, fn) => waiting[which].push(fn),
    cashBoxTotal: () => emulators.cashBoxTotal(),
    lineCounters: () => device.lineCounters(),
    close: () => emulators.close(),
  };
}

/**
 * The ccTalk setup a simulation uses: the unit's own when it has one (on the emulators instead of
 * its port), else the devices' tables made from `money.coins` and `money.bills`.
 */
export function simulatorPaymentConfig(config: BoothConfig): CcTalkPaymentConfig {
  const configured = config.hardware.payment;
  if (configured.adapter === 'cctalk') return { ...configured, port: 'simulator' };
  const country = config.currency.slice(0, 2);
  const coins = Object.fromEntries(
    config.money.coins.map((value, i) => [coinId(country, value, i), value] as const),
  );
  const bills = Object.fromEntries(
    config.money.bills.map((value, i) => [billId(country, value, i), value] as const),
  );
  return ccTalkPaymentSchema.parse({
    adapter: 'cctalk',
    port: 'simulator',
    coin: Object.keys(coins).length > 0 ? { values: coins } : null,
    bill: Object.keys(bills).length > 0 ? { values: bills } : null,
  });
}

/** "EU200A": country, value in minor units (3 digits), issue; a made-up id when it does not fit. */
function coinId(country: string, value: number, index: number): string {
  return value < 1000 ? `${country}${String(value).padStart(3, '0')}A` : `${country}X${pad(index, 2)}Z`;
}

/** "EU0010A": country, value in major units (4 digits), issue. */
function billId(country: string, value: number, index: number): string {
  const major = value / 100;
  return Number.isInteger(major) && major < 10_000
    ? `${country}${String(major).padStart(4, '0')}A`
    : `${country}X${pad(index, 3)}Z`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
