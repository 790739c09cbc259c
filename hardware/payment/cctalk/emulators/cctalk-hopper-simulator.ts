import type { Unsubscribe } from '../../../device-status.ts';
import { DispenseCountFile } from '../../../hopper/dispense-count-file.ts';
import type { ByteTransport } from '../driver/byte-transport.ts';
import { EnableHopperCode, type HopperFlagName } from '../driver/cctalk-codes.ts';
import type { EventPair } from '../driver/cctalk-event-buffer.ts';
import {
  decodeDispense,
  encodeDispenseCount,
  encodeHopperFlags,
  encodeHopperStatus,
  encodeLevel,
  maxDispenseCount,
} from '../driver/cctalk-hopper-data.ts';
import { Header } from '../driver/cctalk-link.ts';
import { CcTalkDeviceSimulator, type CcTalkSimulatorOptions } from './cctalk-device-simulator.ts';

export interface HopperSimulatorOptions extends CcTalkSimulatorOptions {
  /** Coins in it at power-up. */
  readonly coins?: number;
  /** Real time between two coins, ms (real hoppers pay 5 to 10 a second). */
  readonly coinMs?: number;
  /** Below this many coins its low-level sensor trips. */
  readonly lowLevel?: number;
  /**
   * Its NV memory: the lifetime dispense count is kept here, each coin written durably before
   * the host can see it counted, so the count survives the emulator's process being killed.
   */
  readonly stateFile?: string;
}

/**
 * How the next payout goes wrong, `afterCoins` coins in:
 * - `empty`: it runs dry (payout timeout, level sensor low, no coins left).
 * - `jam`: the exit sensor stays blocked; the motor reverses and gives up (it stays jammed until
 *   `clearJam`, every payout then stopping at once).
 * - `short`: a payout timeout with coins still in it (a coin stuck at the exit, say).
 */
export type HopperPayoutFault = 'empty' | 'jam' | 'short';

/**
 * A ccTalk payout hopper without encryption (in the manner of a Money Controls SCH2/SCH3) on the
 * device end of a line: enable (164), dispense (167, its serial number as the security bytes),
 * status (166), test hopper (163), dispense count (168), emergency stop (172), level (217). It
 * pays one coin every `coinMs` of real time after a dispense is accepted, whether or not the
 * host is still there to watch, as a real one does.
 */
export class CcTalkHopperSimulator extends CcTalkDeviceSimulator {
  readonly category = 'Payout';
  readonly #serialNumber: number;
  readonly #coinMs: number;
  readonly #lowLevel: number;
  readonly #file: DispenseCountFile | undefined;
  readonly #coinListeners = new Set<(dispensed: number) => void>();
  readonly #flags = new Set<HopperFlagName>(['PowerUp', 'PayoutDisabled']);
  #coins: number;
  #dispensed = 0;
  #enabled = false;
  #eventCounter = 0;
  #remaining = 0;
  #paid = 0;
  #unpaid = 0;
  #jammed = false;
  #fault: { kind: HopperPayoutFault; afterCoins: number } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(transport: ByteTransport, options: HopperSimulatorOptions) {
    super(transport, options, { address: 3, productCode: 'SIMHOP' });
    this.#serialNumber = options.serialNumber ?? 0x123456;
    this.#coinMs = options.coinMs ?? 150;
    this.#lowLevel = options.lowLevel ?? 10;
    this.#coins = options.coins ?? 100;
    if (options.stateFile !== undefined) {
      this.#file = DispenseCountFile.open(options.stateFile);
      this.#dispensed = this.#file.count;
    }
  }

  /** Coins in the hopper now. */
  get coins(): number {
    return this.#coins;
  }

  /** Coins it has paid over its life (its NV count). */
  get dispensed(): number {
    return this.#dispensed;
  }

  /** Coins of the payout under way still to come. */
  get remaining(): number {
    return this.#remaining;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  get jammed(): boolean {
    return this.#jammed;
  }

  /** Staff pour coins in. */
  load(coins: number): void {
    if (!Number.isSafeInteger(coins) || coins < 0) throw new RangeError(`cannot load ${coins} coins`);
    this.#coins += coins;
  }

  /** The next payout (or the one under way) goes wrong after `afterCoins` more coins. */
  failNextPayout(kind: HopperPayoutFault, afterCoins = 2): void {
    this.#fault = { kind, afterCoins };
  }

  /** A technician clears the jam. */
  clearJam(): void {
    this.#jammed = false;
  }

  /** Each coin as it leaves, with the lifetime count (written to the state file first). */
  onCoin(listener: (dispensed: number) => void): Unsubscribe {
    this.#coinListeners.add(listener);
    return () => this.#coinListeners.delete(listener);
  }

  override async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#file?.close();
    await super.close();
  }

  protected override onReset(): void {
    // Power gone mid-payout: the motor stops; what was not paid is unpaid. The count is in NV memory.
    if (this.#remaining > 0) this.#stop(['PowerDownDuringPayout']);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#enabled = false;
    this.#eventCounter = 0;
    this.#flags.add('PowerUp');
    this.#flags.add('PayoutDisabled');
  }

  protected answerDeviceCommand(header: number, data: Uint8Array): Uint8Array | 'nak' {
    switch (header) {
      case Header.TestHopper:
        return encodeHopperFlags(this.#flags);
      case Header.EnableHopper:
        if (data.length !== 1) return 'nak';
        this.#enabled = data[0] === EnableHopperCode;
        if (this.#enabled) this.#flags.delete('PayoutDisabled');
        else this.#flags.add('PayoutDisabled');
        this.#flags.delete('PowerUp');
        return new Uint8Array(0);
      case Header.RequestHopperStatus:
        return encodeHopperStatus({
          eventCounter: this.#eventCounter,
          remaining: this.#remaining,
          paid: this.#paid,
          unpaid: this.#unpaid,
        });
      case Header.DispenseHopperCoins:
        return this.#dispense(data);
      case Header.RequestHopperDispenseCount:
        return encodeDispenseCount(this.#dispensed);
      case Header.EmergencyStop: {
        const remaining = this.#remaining;
        if (remaining > 0) this.#stop([]);
        return Uint8Array.of(remaining);
      }
      case Header.RequestPayoutHighLowStatus:
        return encodeLevel({ low: this.#coins < this.#lowLevel, high: null });
      default:
        return 'nak';
    }
  }

  protected refusalEvent(): EventPair {
    return [0, 0]; // a hopper buffers no events; nothing to lose
  }

  /** Accepts a dispense (its event counter moves on) or refuses it with NAK. */
  #dispense(data: Uint8Array): Uint8Array | 'nak' {
    const command = decodeDispense(data);
    if (!command || command.coins === 0 || command.serialNumber !== this.#serialNumber) return 'nak';
    if (!this.#enabled || this.#remaining > 0) return 'nak';
    this.#eventCounter = this.#eventCounter >= 255 ? 1 : this.#eventCounter + 1;
    for (const flag of lastPayoutFlags) this.#flags.delete(flag);
    this.#remaining = command.coins;
    this.#paid = 0;
    this.#unpaid = 0;
    this.#schedule();
    return Uint8Array.of(this.#eventCounter);
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#nextCoin();
    }, this.#coinMs);
  }

  #nextCoin(): void {
    if (this.#remaining <= 0) return;
    const stop = this.#stopFlags();
    if (stop) return this.#stop(stop);
    const dispensed = this.#dispensed + 1;
    try {
      // The count is durable before the host can read it: a kill after this loses no coin.
      if (dispensed <= maxDispenseCount) this.#file?.write(dispensed);
    } catch {
      return this.#stop(['NvMemoryChecksumError']);
    }
    this.#dispensed = dispensed;
    this.#coins--;
    this.#remaining--;
    this.#paid++;
    if (this.#fault) this.#fault.afterCoins--;
    for (const listener of [...this.#coinListeners]) listener(dispensed);
    if (this.#remaining > 0) this.#schedule();
  }

  /** The flags that stop the payout before the next coin, if it stops. */
  #stopFlags(): HopperFlagName[] | undefined {
    if (this.#jammed) return jamFlags;
    if (this.#coins <= 0) return ['PayoutTimeout'];
    const fault = this.#fault;
    if (!fault || fault.afterCoins > 0) return undefined;
    this.#fault = undefined;
    if (fault.kind === 'jam') {
      this.#jammed = true;
      return jamFlags;
    }
    if (fault.kind === 'empty') this.#coins = 0;
    return ['PayoutTimeout'];
  }

  #stop(flags: readonly HopperFlagName[]): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const flag of flags) this.#flags.add(flag);
    this.#unpaid = this.#remaining;
    this.#remaining = 0;
  }
}

/** A jam: the exit opto stayed blocked, the motor reversed to clear it and reached its limit. */
const jamFlags: HopperFlagName[] = [
  'OptoBlockedDuringPayout',
  'MotorReversedToClearJam',
  'MotorReverseLimit',
];

/** Flags that describe the last payout: a new one starts without them. */
const lastPayoutFlags: HopperFlagName[] = [
  'PayoutTimeout',
  'MotorReversedToClearJam',
  'OptoBlockedDuringPayout',
  'MotorReverseLimit',
  'PowerDownDuringPayout',
  'NvMemoryChecksumError',
];
