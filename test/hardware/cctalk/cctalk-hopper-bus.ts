import {
  CcTalkHopper,
  type CcTalkHopperOptions,
} from '../../../hardware/payment/cctalk/adapter/cctalk-hopper.ts';
import { CcTalkHost } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import type { ChecksumMode } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { SerialTransport } from '../../../hardware/payment/cctalk/driver/serial-transport.ts';
import { CcTalkCoinAcceptorSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-coin-acceptor-simulator.ts';
import {
  CcTalkHopperSimulator,
  type HopperSimulatorOptions,
} from '../../../hardware/payment/cctalk/emulators/cctalk-hopper-simulator.ts';
import { openPtyPair, type PtyPair } from '../../../hardware/payment/cctalk/emulators/pty-pair.ts';
import { busCoins, coinSerial } from './cctalk-bus.ts';
import { testTiming } from './cctalk-line.ts';

export const hopperSerial = 0x0d0042;
export const hopperKey = `cctalk:hopper:${hopperSerial}`;

/**
 * Fast payouts for tests over a pty: a coin every 10 ms, progress read every 20 ms, the idle
 * level every 100 ms. A hopper silent for 400 ms is given up on; no progress for 2 s is a stall.
 */
export const hopperTiming = { coinMs: 10, pollMs: 20, checkMs: 100, lostMs: 400, stallMs: 2_000 } as const;

export interface HopperBusOptions {
  readonly checksum?: ChecksumMode;
  /** The bus echoes (the coin acceptor, first on it, hands the bytes back). */
  readonly echo?: boolean;
  readonly hopper?: Partial<HopperSimulatorOptions>;
}

/**
 * A coin acceptor (address 2) and a hopper (address 3) emulated on the device end of one pty
 * pair, as they share a ccTalk cable in the booth, and a host on the other end.
 */
export interface HopperBus {
  readonly pair: PtyPair;
  readonly coin: CcTalkCoinAcceptorSimulator;
  readonly hopper: CcTalkHopperSimulator;
  readonly host: CcTalkHost;
  /** Another host on the line (a restarted booth): close the old one first. */
  openHost(): Promise<CcTalkHost>;
  /** A hopper adapter at address 3 on `host` (the first host by default). */
  adapter(options?: Partial<CcTalkHopperOptions>, host?: CcTalkHost): CcTalkHopper;
  close(): Promise<void>;
}

export async function openHopperBus(options: HopperBusOptions = {}): Promise<HopperBus> {
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
  const hopper = new CcTalkHopperSimulator(transport, {
    ...line,
    echo: false, // one echo on the bus: the coin acceptor's
    serialNumber: hopperSerial,
    coins: 50,
    coinMs: hopperTiming.coinMs,
    ...options.hopper,
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
    hopper,
    host,
    openHost,
    adapter: (overrides = {}, on = host) =>
      new CcTalkHopper({
        link: on,
        coinValue: 50,
        pollMs: hopperTiming.pollMs,
        checkMs: hopperTiming.checkMs,
        lostMs: hopperTiming.lostMs,
        stallMs: hopperTiming.stallMs,
        ...overrides,
      }),
    async close() {
      for (const h of hosts) await h.close();
      await coin.close();
      await hopper.close();
      await pair.close();
    },
  };
}
