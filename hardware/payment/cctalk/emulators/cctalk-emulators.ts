import type { Unsubscribe } from '../../../device-status.ts';
import type { ByteTransport } from '../driver/byte-transport.ts';
import { CcTalkBillValidatorSimulator, type BillResult } from './cctalk-bill-validator-simulator.ts';
import { CcTalkCoinAcceptorSimulator, type CoinResult } from './cctalk-coin-acceptor-simulator.ts';
import { CcTalkHopperSimulator } from './cctalk-hopper-simulator.ts';
import type { ChannelTable } from './cctalk-device-simulator.ts';
import type { ChecksumMode } from '../driver/cctalk-link.ts';
import { openPtyPair, type PtyPair } from './pty-pair.ts';
import { SerialTransport } from '../driver/serial-transport.ts';

/**
 * Fixed serial numbers for the emulated devices: the journal keys each device's last event
 * counter by its serial number, so a demo restarted on the same data directory finds its own
 * counters again (and sees the emulators' counters back at 0, as after a power cut).
 */
export const emulatorSerialNumbers = { coin: 0x0c0001, bill: 0x0b0001, hopper: 0x0d0001 } as const;

/** A payout hopper on the emulated bus. */
export interface HopperEmulatorOptions {
  readonly address: number;
  /** Coins in it at the start (100 by default). */
  readonly coins?: number;
  /** Real time between two coins, ms (150 by default). */
  readonly coinMs?: number;
  /** Where it keeps its lifetime dispense count, so a restarted demo finds it again. */
  readonly stateFile?: string;
}

export interface CcTalkEmulatorOptions {
  readonly checksum: ChecksumMode;
  /** The emulated bus hands every byte the host sends straight back, as a single-wire bus does. */
  readonly echo: boolean;
  /** Coin id to minor units, in channel order (the first id is channel 1). */
  readonly coin: { readonly address: number; readonly values: Readonly<Record<string, number>> } | null;
  readonly bill: {
    readonly address: number;
    readonly values: Readonly<Record<string, number>>;
    readonly escrow: boolean;
  } | null;
  /** A hopper on the same bus (`addHopper` adds one later). */
  readonly hopper?: HopperEmulatorOptions | null;
}

export type InsertOutcome = CoinResult | BillResult | 'no-device';

/**
 * A ccTalk coin acceptor and bill validator emulator on the device end of a real pty pair (made
 * by socat): the booth's ccTalk host opens `hostPath` exactly as it would open /dev/ttyUSB0.
 * Customers (scripted ones in `kiosk simulate`, tests) pay through `insertCoin`/`insertBill`
 * by value; faults are injected on `coin` and `bill` directly.
 */
export class CcTalkEmulators {
  readonly coin: CcTalkCoinAcceptorSimulator | null;
  readonly bill: CcTalkBillValidatorSimulator | null;
  #hopper: CcTalkHopperSimulator | null = null;
  readonly #echo: boolean;
  readonly #checksum: ChecksumMode;
  readonly #pair: PtyPair;
  readonly #transport: SerialTransport;
  readonly #coinValues: ReadonlyMap<number, number>;
  readonly #billValues: ReadonlyMap<number, number>;
  #closed: Promise<void> | undefined;

  private constructor(pair: PtyPair, transport: SerialTransport, options: CcTalkEmulatorOptions) {
    this.#pair = pair;
    this.#transport = transport;
    this.#echo = options.echo;
    this.#checksum = options.checksum;
    const coinTable = channelTable(options.coin?.values);
    const billTable = channelTable(options.bill?.values);
    this.#coinValues = channelValues(options.coin?.values);
    this.#billValues = channelValues(options.bill?.values);
    // One bus, one echo: the first device on it hands the host's bytes back, never both.
    this.coin = options.coin
      ? new CcTalkCoinAcceptorSimulator(busView(transport), {
          checksum: options.checksum,
          echo: options.echo,
          address: options.coin.address,
          serialNumber: emulatorSerialNumbers.coin,
          coins: coinTable,
        })
      : null;
    this.bill = options.bill
      ? new CcTalkBillValidatorSimulator(busView(transport), {
          checksum: options.checksum,
          echo: options.echo && !this.coin,
          address: options.bill.address,
          serialNumber: emulatorSerialNumbers.bill,
          bills: billTable,
          escrow: options.bill.escrow,
        })
      : null;
    if (options.hopper) this.addHopper(options.hopper);
  }

  /** The hopper on the bus, if there is one. */
  get hopper(): CcTalkHopperSimulator | null {
    return this.#hopper;
  }

  /**
   * Puts a hopper on the running bus (a booth whose hopper joins the line after the payment
   * device opened it). The one already there is kept when it sits at `address`; a second hopper
   * at another address is refused, as the booth drives one.
   */
  addHopper(options: HopperEmulatorOptions): CcTalkHopperSimulator {
    if (this.#hopper) {
      if (this.#hopper.address === options.address) return this.#hopper;
      throw new Error(
        `the emulated bus has its hopper at address ${this.#hopper.address}, not ${options.address}`,
      );
    }
    const taken = [this.coin?.address, this.bill?.address];
    if (taken.includes(options.address))
      throw new Error(`address ${options.address} on the emulated bus is taken by the coin or bill device`);
    this.#hopper = new CcTalkHopperSimulator(busView(this.#transport), {
      checksum: this.#checksum,
      echo: this.#echo && !this.coin && !this.bill, // one echo on the bus
      address: options.address,
      serialNumber: emulatorSerialNumbers.hopper,
      coins: options.coins,
      coinMs: options.coinMs,
      stateFile: options.stateFile,
    });
    return this.#hopper;
  }

  /** Starts socat and puts the emulators on the device end. Rejects with socat's words if it cannot. */
  static async open(options: CcTalkEmulatorOptions): Promise<CcTalkEmulators> {
    if (!options.coin && !options.bill && !options.hopper)
      throw new Error('the ccTalk emulators need a coin, bill or hopper device');
    const pair = await openPtyPair();
    try {
      const transport = await SerialTransport.open(pair.devicePath);
      try {
        return new CcTalkEmulators(pair, transport, options);
      } catch (error) {
        await transport.close();
        throw error;
      }
    } catch (error) {
      await pair.close();
      throw error;
    }
  }

  /** The end the booth opens. */
  get hostPath(): string {
    return this.#pair.hostPath;
  }

  /** Coin values (minor units) the coin acceptor knows, in channel order. */
  get coinValues(): number[] {
    return [...new Set(this.#coinValues.values())];
  }

  get billValues(): number[] {
    return [...new Set(this.#billValues.values())];
  }

  /** A customer drops a coin of this value; one the acceptor does not know is rejected by it. */
  insertCoin(value: number): InsertOutcome {
    if (!this.coin) return 'no-device';
    const channel = channelOf(this.#coinValues, value);
    if (channel === undefined) {
      this.coin.rejectCoin();
      return 'rejected';
    }
    return this.coin.insertCoin(channel);
  }

  /** A customer feeds a note of this value; one the validator does not know fails validation. */
  insertBill(value: number): InsertOutcome {
    if (!this.bill) return 'no-device';
    return this.bill.insertBill(channelOf(this.#billValues, value) ?? 0);
  }

  /** What the coin acceptor's cash box and the bill validator's stacker hold, minor units. */
  cashBoxTotal(): number {
    const coins = (this.coin?.cashbox ?? []).reduce((sum, ch) => sum + (this.#coinValues.get(ch) ?? 0), 0);
    const bills = (this.bill?.stacker ?? []).reduce((sum, ch) => sum + (this.#billValues.get(ch) ?? 0), 0);
    return coins + bills;
  }

  /** Stops the emulators, closes the device end and stops socat. Safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.coin?.close();
      await this.bill?.close();
      await this.#hopper?.close();
      await this.#transport.close();
      await this.#pair.close();
    })();
    return this.#closed;
  }
}

/** The ids of a value table on channels 1, 2, ... in the table's order. */
function channelTable(values: Readonly<Record<string, number>> | undefined): ChannelTable {
  return Object.fromEntries(Object.keys(values ?? {}).map((id, i) => [i + 1, id]));
}

function channelValues(values: Readonly<Record<string, number>> | undefined): Map<number, number> {
  return new Map(Object.values(values ?? {}).map((value, i) => [i + 1, value]));
}

function channelOf(values: ReadonlyMap<number, number>, value: number): number | undefined {
  for (const [channel, v] of values) if (v === value) return channel;
  return undefined;
}

/**
 * A device's view of the shared bus: both emulators listen and answer on the one line; closing
 * a device only takes it off the line (the rig closes the line itself).
 */
function busView(line: ByteTransport): ByteTransport {
  const subscriptions = new Set<Unsubscribe>();
  return {
    write: (bytes) => line.write(bytes),
    onData: (listener) => {
      const off = line.onData(listener);
      subscriptions.add(off);
      return () => {
        subscriptions.delete(off);
        off();
      };
    },
    close: async () => {
      for (const off of subscriptions) off();
      subscriptions.clear();
    },
  };
}
