import type { Unsubscribe } from '../../../device-status.ts';
import type { ByteTransport } from '../driver/byte-transport.ts';
import { ReplyHeader } from '../driver/cctalk-codes.ts';
import { CcTalkEventBuffer, type EventPair } from '../driver/cctalk-event-buffer.ts';
import { CcTalkFrameReader } from '../driver/cctalk-frame-reader.ts';
import { encodeFrame, type CcTalkFrame } from '../driver/cctalk-frame.ts';
import { Header, type ChecksumMode } from '../driver/cctalk-link.ts';

/**
 * What can go wrong with the device's next reply, one fault per reply, in the order injected.
 * - `ignore`: the device never hears the command: it does nothing and says nothing.
 * - `drop`: the device acts on the command but its reply is lost.
 * - `bad-checksum`: the reply arrives with a wrong checksum (the command was carried out).
 * - `garbage`: line noise just before the reply (the reply itself is good).
 * - `busy`: BUSY instead of doing the command.
 * - `nak`: NAK instead of doing the command.
 * - `misaddressed`: the reply claims another sender (simple checksum) or goes to another host
 *   (CRC-16, which carries no sender).
 */
export type ReplyFault = 'ignore' | 'drop' | 'bad-checksum' | 'garbage' | 'busy' | 'nak' | 'misaddressed';

/** Channel (1 to 16) to coin or bill id, e.g. `{ 1: 'EU050A', 2: 'EU100A' }`. */
export type ChannelTable = Readonly<Record<number, string>>;

export interface CcTalkSimulatorOptions {
  readonly checksum: ChecksumMode;
  /** The device's address; ccTalk's defaults are 2 for coin acceptors and 40 for bill validators. */
  readonly address?: number;
  /** Hand every byte the host sends straight back first, as a single-wire bus does. */
  readonly echo?: boolean;
  /** Where replies go when a command carries no sender (CRC-16 frames). */
  readonly hostAddress?: number;
  readonly manufacturer?: string;
  readonly productCode?: string;
  /** 24 bits; sent LSB first. */
  readonly serialNumber?: number;
  /** How long the device thinks before it answers, ms. */
  readonly replyDelayMs?: number;
  readonly interByteTimeoutMs?: number;
  /**
   * Sends a reply one byte at a time, this many ms apart (0: all at once). The spec allows up to
   * its inter-byte timeout (50 ms) between the bytes of one frame; slow devices use much of it.
   */
  readonly replyByteGapMs?: number;
}

/** Bytes that are no frame and make the host's reader resynchronise. */
export const lineGarbage = Uint8Array.of(0x55, 0xaa, 0x00, 0x13, 0x37);

type Answer = Uint8Array | 'nak';

/**
 * A ccTalk peripheral on its end of a byte line: answers the host's commands as a real device
 * does and lets a test or demo misbehave it on purpose. What all devices answer lives here (poll,
 * identity, inhibits, master inhibit, reset, self-check); a coin acceptor or bill validator adds
 * its own commands and its events.
 */
export abstract class CcTalkDeviceSimulator {
  abstract readonly category: string;
  readonly address: number;
  protected readonly events = new CcTalkEventBuffer();
  readonly #o: Required<Omit<CcTalkSimulatorOptions, 'address'>>;
  readonly #transport: ByteTransport;
  readonly #reader: CcTalkFrameReader;
  readonly #unsubscribe: Unsubscribe;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #replyFaults: ReplyFault[] = [];
  /** Bit n - 1 set: channel n is enabled. All clear after power-up, as on a real device. */
  #inhibitMask = 0;
  #accepting = false;
  #commandsReceived = 0;
  #closed = false;

  protected constructor(
    transport: ByteTransport,
    options: CcTalkSimulatorOptions,
    defaults: { address: number; productCode: string },
  ) {
    this.address = options.address ?? defaults.address;
    this.#o = {
      echo: false,
      hostAddress: 1,
      manufacturer: 'Booth Sim',
      productCode: defaults.productCode,
      serialNumber: 0x123456,
      replyDelayMs: 0,
      interByteTimeoutMs: 50,
      replyByteGapMs: 0,
      ...options,
    };
    this.#transport = transport;
    this.#reader = new CcTalkFrameReader({
      checksum: options.checksum,
      interByteTimeoutMs: this.#o.interByteTimeoutMs,
      onFrame: (frame) => this.#command(frame),
    });
    this.#unsubscribe = transport.onData((bytes) => {
      if (this.#o.echo) this.#write(bytes); // the wire's own echo: at once, however slow the device
      this.#reader.push(bytes);
    });
  }

  /** Master inhibit off: the device takes money (on the channels its inhibit mask enables). */
  get accepting(): boolean {
    return this.#accepting;
  }

  get inhibitMask(): number {
    return this.#inhibitMask;
  }

  get eventCounter(): number {
    return this.events.counter;
  }

  /** Commands addressed to this device, answered or not. */
  get commandsReceived(): number {
    return this.#commandsReceived;
  }

  /** The next `times` replies go wrong as `fault` says (after faults injected before). */
  faultNextReplies(fault: ReplyFault, times = 1): void {
    for (let i = 0; i < times; i++) this.#replyFaults.push(fault);
  }

  /** Puts garbage on the line now, between the host's commands. */
  sendGarbage(bytes: Uint8Array = lineGarbage): void {
    this.#send(bytes);
  }

  /** A power cut or watchdog reset: counter back to 0, events gone, everything inhibited. */
  powerCycle(): void {
    this.events.clear();
    this.#inhibitMask = 0;
    this.#accepting = false;
    this.onReset();
  }

  /**
   * `count` events happen without the host reading them, so the counter moves on by `count` and
   * events more than five back are gone for good. They are refusals that take no money, so a
   * test can check that the host reports the loss without a credit to account for.
   */
  loseEvents(count: number): void {
    const [a, b] = this.refusalEvent();
    for (let i = 0; i < count; i++) this.events.push(a, b);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    this.#reader.close();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#transport.close();
  }

  /** Commands only this kind of device knows; anything else gets NAK. */
  protected abstract answerDeviceCommand(header: number, data: Uint8Array): Answer;

  /** An event that takes no money, used by `loseEvents`. */
  protected abstract refusalEvent(): EventPair;

  /** What else a reset clears (a note in escrow, say). */
  protected onReset(): void {}

  protected channelEnabled(channel: number): boolean {
    return channel >= 1 && channel <= 16 && (this.#inhibitMask & (1 << (channel - 1))) !== 0;
  }

  #command(frame: CcTalkFrame): void {
    if (this.#closed || (frame.destination !== this.address && frame.destination !== 0)) return;
    this.#commandsReceived++;
    const fault = this.#replyFaults.shift();
    if (fault === 'ignore') return;
    let header: number = ReplyHeader.Ack;
    let data: Uint8Array = new Uint8Array(0);
    if (fault === 'busy') header = ReplyHeader.Busy;
    else if (fault === 'nak') header = ReplyHeader.Nak;
    else {
      const answer = this.#answer(frame.header, frame.data);
      if (answer === 'nak') header = ReplyHeader.Nak;
      else data = answer;
    }
    if (fault === 'drop') return;
    const replyTo = frame.source ?? this.#o.hostAddress;
    const misaddressed = fault === 'misaddressed';
    let reply = encodeFrame(
      {
        destination: misaddressed && this.#o.checksum === 'crc16' ? (replyTo + 1) & 0xff : replyTo,
        source: misaddressed ? (this.address + 1) & 0xff : this.address,
        header,
        data,
      },
      this.#o.checksum,
    );
    if (fault === 'bad-checksum') reply[reply.length - 1]! ^= 0x5a;
    if (fault === 'garbage') reply = Uint8Array.from([...lineGarbage, ...reply]);
    if (this.#o.replyDelayMs <= 0) return this.#send(reply);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#send(reply);
    }, this.#o.replyDelayMs);
    this.#timers.add(timer);
  }

  #answer(header: number, data: Uint8Array): Answer {
    switch (header) {
      case Header.SimplePoll:
        return new Uint8Array(0);
      case Header.RequestManufacturerId:
        return ascii(this.#o.manufacturer);
      case Header.RequestEquipmentCategory:
        return ascii(this.category);
      case Header.RequestProductCode:
        return ascii(this.#o.productCode);
      case Header.RequestSerialNumber: {
        const serial = this.#o.serialNumber;
        return Uint8Array.of(serial & 0xff, (serial >> 8) & 0xff, (serial >> 16) & 0xff);
      }
      case Header.PerformSelfCheck:
        return Uint8Array.of(0); // fault code 0: no fault
      case Header.ModifyInhibitStatus:
        if (data.length !== 2) return 'nak';
        this.#inhibitMask = data[0]! | (data[1]! << 8);
        return new Uint8Array(0);
      case Header.RequestInhibitStatus:
        return Uint8Array.of(this.#inhibitMask & 0xff, this.#inhibitMask >> 8);
      case Header.ModifyMasterInhibit:
        if (data.length !== 1) return 'nak';
        this.#accepting = (data[0]! & 1) === 1;
        return new Uint8Array(0);
      case Header.RequestMasterInhibitStatus:
        return Uint8Array.of(this.#accepting ? 1 : 0);
      case Header.ResetDevice:
        this.powerCycle();
        return new Uint8Array(0);
      default:
        return this.answerDeviceCommand(header, data);
    }
  }

  #send(bytes: Uint8Array): void {
    if (this.#closed) return;
    const gap = this.#o.replyByteGapMs;
    if (gap > 0 && bytes.length > 1) {
      this.#write(bytes.subarray(0, 1));
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#send(bytes.subarray(1));
      }, gap);
      this.#timers.add(timer);
      return;
    }
    this.#write(bytes);
  }

  #write(bytes: Uint8Array): void {
    // A write that fails because the pty went away is the host's problem to notice, not ours.
    this.#transport.write(bytes).catch(() => {});
  }
}

/** Ids and names on the line are plain ASCII. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0x7f);
}

/** Checks a channel table: channels 1 to 16, ids of the length ccTalk gives them. */
export function checkChannelTable(table: ChannelTable, idLength: number, what: string): void {
  for (const [channel, id] of Object.entries(table)) {
    const n = Number(channel);
    if (!Number.isInteger(n) || n < 1 || n > 16) {
      throw new RangeError(`${what} channel ${channel} is outside 1 to 16`);
    }
    if (id.length !== idLength) {
      throw new RangeError(`${what} id "${id}" on channel ${n} should have ${idLength} characters`);
    }
  }
}
