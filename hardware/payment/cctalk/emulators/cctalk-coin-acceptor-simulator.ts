import type { ByteTransport } from '../driver/byte-transport.ts';
import { CoinError, firstInhibitedChannelCode } from '../driver/cctalk-codes.ts';
import {
  ascii,
  CcTalkDeviceSimulator,
  checkChannelTable,
  type CcTalkSimulatorOptions,
  type ChannelTable,
} from './cctalk-device-simulator.ts';
import type { EventPair } from '../driver/cctalk-event-buffer.ts';
import { Header } from '../driver/cctalk-link.ts';

export interface CoinAcceptorSimulatorOptions extends CcTalkSimulatorOptions {
  /** Channel to 6-character coin id (country, value, issue), e.g. `{ 1: 'EU050A', 2: 'EU100A' }`. */
  readonly coins: ChannelTable;
  /** The sorter path reported with each credit (0: no sorter). */
  readonly sorterPath?: number;
}

export type CoinResult = 'accepted' | 'inhibited' | 'rejected';

/** A ccTalk coin acceptor: answers coin ids and read buffered credit (229). */
export class CcTalkCoinAcceptorSimulator extends CcTalkDeviceSimulator {
  readonly category = 'Coin Acceptor';
  /** Channels of the coins that went into the cash box, in order. */
  readonly cashbox: number[] = [];
  readonly #coins: ChannelTable;
  readonly #sorterPath: number;

  constructor(transport: ByteTransport, options: CoinAcceptorSimulatorOptions) {
    super(transport, options, { address: 2, productCode: 'SIMCOIN' });
    checkChannelTable(options.coins, 6, 'coin');
    this.#coins = options.coins;
    this.#sorterPath = options.sorterPath ?? 0;
  }

  /**
   * A customer drops a coin of `channel`'s kind. It is taken only while the master inhibit is off
   * and the channel is enabled; otherwise it falls through to the return cup and the device
   * reports why.
   */
  insertCoin(channel: number): CoinResult {
    if (this.#coins[channel] === undefined) {
      this.events.push(0, CoinError.RejectCoin);
      return 'rejected';
    }
    if (!this.accepting) {
      this.events.push(0, CoinError.InhibitedCoin);
      return 'inhibited';
    }
    if (!this.channelEnabled(channel)) {
      this.events.push(0, firstInhibitedChannelCode + channel - 1);
      return 'inhibited';
    }
    this.events.push(channel, this.#sorterPath);
    this.cashbox.push(channel);
    return 'accepted';
  }

  /** A coin the validator does not recognise (a foreign coin, a washer). */
  rejectCoin(): void {
    this.events.push(0, CoinError.RejectCoin);
  }

  /** The credit sensor saw a coin move back up the chute: a fraud attempt. */
  coinGoingBackwards(): void {
    this.events.push(0, CoinError.CoinGoingBackwards);
  }

  /** A coin on a string was pulled back out (the C.O.S. mechanism caught it). */
  stringFraud(): void {
    this.events.push(0, CoinError.CoinOnString);
  }

  /** The coin return lever or flight deck was opened. */
  flightDeckOpen(): void {
    this.events.push(0, CoinError.FlightDeckOpen);
  }

  /** Any other coin acceptor error code (generic specification, part 3). */
  reportError(code: number): void {
    this.events.push(0, code);
  }

  protected answerDeviceCommand(header: number, data: Uint8Array): Uint8Array | 'nak' {
    if (header === Header.RequestCoinId) {
      if (data.length !== 1 || data[0]! < 1 || data[0]! > 16) return 'nak';
      return ascii(this.#coins[data[0]!] ?? '......');
    }
    if (header === Header.ReadBufferedCredit) return this.events.toBytes();
    return 'nak';
  }

  protected refusalEvent(): EventPair {
    return [0, CoinError.RejectCoin];
  }
}
