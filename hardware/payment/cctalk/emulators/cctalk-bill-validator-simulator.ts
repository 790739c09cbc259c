import type { ByteTransport } from '../driver/byte-transport.ts';
import { BillCredit, BillEvent, RouteBill, RouteBillError } from '../driver/cctalk-codes.ts';
import {
  ascii,
  CcTalkDeviceSimulator,
  checkChannelTable,
  type CcTalkSimulatorOptions,
  type ChannelTable,
} from './cctalk-device-simulator.ts';
import type { EventPair } from '../driver/cctalk-event-buffer.ts';
import { Header } from '../driver/cctalk-link.ts';

export interface BillValidatorSimulatorOptions extends CcTalkSimulatorOptions {
  /** Bill type to 7-character bill id (country, value, issue), e.g. `{ 1: 'EU0005A', 2: 'EU0010A' }`. */
  readonly bills: ChannelTable;
  /**
   * Hold each note in escrow until the host routes it (the booth's setting: a note is taken only
   * when the session can use it). Without escrow a valid note is stacked at once.
   */
  readonly escrow?: boolean;
}

export type BillResult = 'escrow' | 'stacked' | 'inhibited' | 'rejected';

export type JamKind = 'transport-unsafe' | 'transport-safe' | 'stacker';

const jamCodes: Record<JamKind, number> = {
  'transport-unsafe': BillEvent.JammedInTransportUnsafe,
  'transport-safe': BillEvent.JammedInTransportSafe,
  stacker: BillEvent.JammedInStacker,
};

/** A ccTalk bill validator: answers bill ids, read buffered bill events (159) and route bill (154). */
export class CcTalkBillValidatorSimulator extends CcTalkDeviceSimulator {
  readonly category = 'Bill Validator';
  /** Bill types of the notes in the stacker, in order. */
  readonly stacker: number[] = [];
  readonly #bills: ChannelTable;
  readonly #useEscrow: boolean;
  #escrow: number | undefined;
  #jammed = false;
  #stackerFull = false;

  constructor(transport: ByteTransport, options: BillValidatorSimulatorOptions) {
    super(transport, options, { address: 40, productCode: 'SIMBILL' });
    checkChannelTable(options.bills, 7, 'bill');
    this.#bills = options.bills;
    this.#useEscrow = options.escrow ?? true;
  }

  /** The bill type held in escrow, if any. */
  get escrow(): number | undefined {
    return this.#escrow;
  }

  /**
   * A customer feeds a note of bill type `type`. While a note waits in escrow, the validator is
   * jammed or the stacker is full, the slot takes nothing.
   */
  insertBill(type: number): BillResult {
    if (this.#escrow !== undefined || this.#jammed) return 'rejected';
    if (!this.accepting) {
      this.events.push(0, BillEvent.MasterInhibitActive);
      return 'inhibited';
    }
    if (this.#bills[type] === undefined) {
      this.events.push(0, BillEvent.InvalidBillValidation);
      return 'rejected';
    }
    if (!this.channelEnabled(type)) {
      this.events.push(0, BillEvent.InhibitedBillSerial);
      return 'inhibited';
    }
    if (this.#stackerFull) {
      this.events.push(0, BillEvent.StackerFull);
      return 'rejected';
    }
    if (this.#useEscrow) {
      this.#escrow = type;
      this.events.push(type, BillCredit.Escrow);
      return 'escrow';
    }
    this.#stack(type);
    return 'stacked';
  }

  /** A note is stuck; one held in escrow is lost in the jam until staff clear it. */
  jamNote(kind: JamKind = 'transport-unsafe'): void {
    this.#jammed = true;
    this.#escrow = undefined;
    this.events.push(0, jamCodes[kind]);
  }

  clearJam(): void {
    this.#jammed = false;
  }

  /** The stacker fills up: notes are refused and none can be stacked from escrow. */
  fillStacker(): void {
    this.#stackerFull = true;
    this.events.push(0, BillEvent.StackerFull);
  }

  emptyStacker(): void {
    this.#stackerFull = false;
    this.stacker.length = 0;
    this.events.push(0, BillEvent.StackerOk);
  }

  /** A note was pulled back out of the slot. */
  pullBillBackwards(): void {
    this.events.push(0, BillEvent.PulledBackwards);
  }

  /** The anti-string mechanism caught a note on a string. */
  stringFraud(): void {
    this.events.push(0, BillEvent.StringFraud);
  }

  /** Any other bill event code (generic specification, part 3). */
  reportEvent(code: number): void {
    this.events.push(0, code);
  }

  protected answerDeviceCommand(header: number, data: Uint8Array): Uint8Array | 'nak' {
    switch (header) {
      case Header.RequestBillId:
        if (data.length !== 1 || data[0]! < 1) return 'nak';
        return ascii(this.#bills[data[0]!] ?? '.......');
      case Header.ReadBufferedBillEvents:
        return this.events.toBytes();
      case Header.RouteBill:
        return data.length === 1 ? this.#route(data[0]!) : 'nak';
      default:
        return 'nak';
    }
  }

  protected refusalEvent(): EventPair {
    return [0, BillEvent.InvalidBillValidation];
  }

  protected override onReset(): void {
    // A reset hands a held note back to the customer; with the counter at 0 there is no event.
    this.#escrow = undefined;
  }

  /** Route bill: ACK when done, else one byte saying why not. */
  #route(action: number): Uint8Array | 'nak' {
    if (
      action !== RouteBill.Return &&
      action !== RouteBill.Stack &&
      action !== RouteBill.ExtendEscrowTimeout
    ) {
      return 'nak';
    }
    const held = this.#escrow;
    if (held === undefined) return Uint8Array.of(RouteBillError.EscrowEmpty);
    if (action === RouteBill.ExtendEscrowTimeout) return new Uint8Array(0);
    if (action === RouteBill.Return) {
      this.#escrow = undefined;
      this.events.push(0, BillEvent.ReturnedFromEscrow);
      return new Uint8Array(0);
    }
    if (this.#stackerFull || this.#jammed) return Uint8Array.of(RouteBillError.FailedToRoute);
    this.#escrow = undefined;
    this.#stack(held);
    return new Uint8Array(0);
  }

  #stack(type: number): void {
    this.stacker.push(type);
    this.events.push(type, BillCredit.Stacked);
  }
}
