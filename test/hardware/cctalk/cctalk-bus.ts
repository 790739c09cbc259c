import { CcTalkBillValidatorSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-bill-validator-simulator.ts';
import { CcTalkCoinAcceptorSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-coin-acceptor-simulator.ts';
import { CcTalkHost } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import type { ChecksumMode } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import {
  CcTalkPayment,
  type CcTalkPaymentOptions,
  type EventCounterStore,
} from '../../../hardware/payment/cctalk/adapter/cctalk-payment.ts';
import { openPtyPair, type PtyPair } from '../../../hardware/payment/cctalk/emulators/pty-pair.ts';
import { SerialTransport } from '../../../hardware/payment/cctalk/driver/serial-transport.ts';
import type { PaymentEvent } from '../../../hardware/payment/payment-port.ts';
import { testTiming } from './cctalk-line.ts';

/** Channel 4 holds a coin and a note the booth has no value for: the adapter inhibits it. */
export const busCoins = { 1: 'EU050A', 2: 'EU100A', 3: 'EU200A', 4: 'GB100A' } as const;
export const busBills = { 1: 'EU0005A', 2: 'EU0010A', 3: 'EU0020A', 4: 'GB0010A' } as const;
export const coinValues = { EU050A: 50, EU100A: 100, EU200A: 200 } as const;
export const billValues = { EU0005A: 500, EU0010A: 1000, EU0020A: 2000 } as const;
export const coinSerial = 0x0c0042;
export const billSerial = 0x0b0042;
export const coinKey = `cctalk:coin:${coinSerial}`;
export const billKey = `cctalk:bill:${billSerial}`;

/** Event counters in memory, as the journal keeps them. */
export class MemoryCounterStore implements EventCounterStore {
  readonly counters = new Map<string, number>();
  readonly writes: Array<[string, number]> = [];
  lastEventCounter(deviceId: string): number | null {
    return this.counters.get(deviceId) ?? null;
  }
  setEventCounter(deviceId: string, counter: number): void {
    this.counters.set(deviceId, counter);
    this.writes.push([deviceId, counter]);
  }
  /** What the journal does with a credit's counter: store it with the credit. */
  journal(event: PaymentEvent): void {
    if (event.type === 'credit' && event.source) {
      this.setEventCounter(event.source.deviceId, event.source.eventCounter);
    }
  }
}

export interface BusOptions {
  readonly checksum?: ChecksumMode;
  /** The bus echoes every byte the host sends (the coin acceptor's emulator makes the echo). */
  readonly echo?: boolean;
  /** The bill validator holds notes in escrow (the default). */
  readonly escrow?: boolean;
}

/**
 * A coin acceptor (address 2) and a bill validator (address 40) emulated on the device end of
 * one pty pair, as on a real multi-drop ccTalk bus, and a host on the other end.
 */
export interface Bus {
  readonly pair: PtyPair;
  readonly coin: CcTalkCoinAcceptorSimulator;
  readonly bill: CcTalkBillValidatorSimulator;
  readonly host: CcTalkHost;
  readonly checksum: ChecksumMode;
  readonly echo: boolean;
  /** Another host on the same line (a restarted booth); the old one should be closed first. */
  openHost(): Promise<CcTalkHost>;
  /** A payment adapter for both devices on `host` (polls every 100 ms). */
  payment(store: EventCounterStore, options?: Partial<CcTalkPaymentOptions>): CcTalkPayment;
  close(): Promise<void>;
}

export async function openBus(options: BusOptions = {}): Promise<Bus> {
  const checksum = options.checksum ?? 'simple8';
  const echo = options.echo ?? false;
  const pair = await openPtyPair();
  const transport = await SerialTransport.open(pair.devicePath);
  const line = { checksum, replyDelayMs: 0, interByteTimeoutMs: testTiming.interByteTimeoutMs };
  const coin = new CcTalkCoinAcceptorSimulator(transport, {
    ...line,
    echo,
    coins: busCoins,
    serialNumber: coinSerial,
  });
  const bill = new CcTalkBillValidatorSimulator(transport, {
    ...line,
    echo: false, // one echo on the line is the coin acceptor's
    bills: busBills,
    serialNumber: billSerial,
    escrow: options.escrow ?? true,
  });
  const hosts: CcTalkHost[] = [];
  const openHost = async () => {
    const host = await CcTalkHost.open(pair.hostPath, { checksum, echo, ...testTiming });
    hosts.push(host);
    return host;
  };
  const host = await openHost();
  return {
    pair,
    coin,
    bill,
    host,
    checksum,
    echo,
    openHost,
    payment: (store, overrides = {}) =>
      new CcTalkPayment({
        link: host,
        currency: 'EUR',
        coin: { address: 2, values: coinValues },
        bill: { address: 40, values: billValues },
        counters: store,
        pollMs: 100,
        ...overrides,
      }),
    async close() {
      for (const h of hosts) await h.close();
      await coin.close();
      await bill.close();
      await pair.close();
    },
  };
}

/** The channel of the coin or note worth `value`, or channel 4 (known to the device, not to the booth). */
export function channelFor(
  table: Readonly<Record<number, string>>,
  values: Readonly<Record<string, number>>,
  value: number,
): number {
  for (const [channel, id] of Object.entries(table)) {
    if (values[id] === value) return Number(channel);
  }
  return 4;
}
