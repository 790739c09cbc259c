import type { Clock } from '../../core/clock.ts';
import type { PayoutFaultCode } from '../../core/errors.ts';
import { DeviceError, type Unsubscribe } from '../device-status.ts';
import type { SimFault } from '../sim/faults.ts';
import { SimulatedDevice } from '../sim/simulated-device.ts';
import { DispenseCountFile } from './dispense-count-file.ts';
import type { CoinHopper, HopperStatus, MinorUnits, PayoutResult } from './hopper-port.ts';
import { checkPayoutAmount, levelOf } from './hopper-rules.ts';

export interface SimulatedHopperOptions {
  clock: Clock;
  /** The one coin it pays, minor units. */
  coinValue: MinorUnits;
  /** Coins in it at the start (`load` adds more). */
  coins?: number;
  /** Clock time between two coins coming out, ms (a real hopper pays 5 to 10 coins a second). */
  coinMs?: number;
  /** How long it takes to answer a command, ms. */
  answerMs?: number;
  /** Below this many coins its low-level sensor says `low`. */
  lowLevel?: number;
  /** With `empty` or `jam` injected, the next payout stops after this many coins (2 by default). */
  faultAfterCoins?: number;
  deviceId?: string;
  /**
   * Where it keeps its lifetime dispense count, as a real hopper keeps it in NV memory: each coin
   * is counted there durably before it is reported out. Without it the count lives in memory.
   */
  stateFile?: string;
}

/**
 * A coin hopper on the booth's clock: pays one coin every `coinMs`, counts them over its life
 * and stops short as a real one does. Faults: `empty` (the next payout runs dry part-way and
 * the hopper is empty), `jam` (the next payout stops part-way and the hopper stays jammed until
 * cleared), `disconnect` and `timeout` (commands fail; a payout under way stops at the next coin).
 */
export class SimulatedHopper extends SimulatedDevice<HopperStatus> implements CoinHopper {
  readonly deviceId: string;
  readonly coinValue: MinorUnits;
  readonly #o: Required<Omit<SimulatedHopperOptions, 'deviceId' | 'stateFile' | 'coinValue'>>;
  readonly #stateFile: string | undefined;
  readonly #coinListeners = new Set<(dispensed: number) => void>();
  #faultAfterCoins: number;
  #file: DispenseCountFile | undefined;
  #dispensed = 0;
  #coins: number;
  #jammed = false;
  #running: Promise<PayoutResult> | undefined;

  constructor(options: SimulatedHopperOptions) {
    super('hopper', ['empty', 'jam', 'disconnect', 'timeout'], {
      online: false,
      ready: false,
      reasons: ['closed'],
      level: 'unknown',
    });
    if (!Number.isSafeInteger(options.coinValue) || options.coinValue <= 0) {
      throw new RangeError(
        `a hopper's coin value is a positive whole number of minor units, not ${options.coinValue}`,
      );
    }
    this.coinValue = options.coinValue;
    this.#o = { coins: 0, coinMs: 150, answerMs: 20, lowLevel: 10, faultAfterCoins: 2, ...options };
    this.#coins = checkCoins(this.#o.coins);
    this.#faultAfterCoins = this.#o.faultAfterCoins;
    this.deviceId = options.deviceId ?? 'SIM-HOPPER-0001';
    this.#stateFile = options.stateFile;
  }

  /** Coins in the hopper now. */
  get coins(): number {
    return this.#coins;
  }

  /** Staff pour `coins` in: an `empty` fault is over (a jam is not: that needs clearing). */
  load(coins: number): void {
    this.#coins += checkCoins(coins);
    if (this.faults.has('empty')) this.faults.clear('empty');
    this.refresh();
  }

  /** Each coin as it leaves, with the lifetime count (already durable when told). */
  onCoin(listener: (dispensed: number) => void): Unsubscribe {
    this.#coinListeners.add(listener);
    return () => this.#coinListeners.delete(listener);
  }

  /**
   * As for any simulator; with `empty` or `jam`, the next payout stops after `afterCoins` coins
   * (the `faultAfterCoins` option by default).
   */
  override injectFault(fault: SimFault, afterCoins = this.#o.faultAfterCoins): void {
    if (!Number.isSafeInteger(afterCoins) || afterCoins < 0)
      throw new RangeError(`afterCoins must be 0 or more, not ${afterCoins}`);
    this.#faultAfterCoins = afterCoins;
    super.injectFault(fault);
  }

  override clearFault(fault?: SimFault): void {
    if (fault === undefined || fault === 'jam') this.#jammed = false;
    super.clearFault(fault);
  }

  override async open(): Promise<void> {
    if (this.isOpen) return;
    if (this.#stateFile !== undefined && !this.#file) {
      try {
        this.#file = DispenseCountFile.open(this.#stateFile);
      } catch (error) {
        throw new DeviceError(
          'hopper',
          'nv-memory-error',
          `the simulated hopper cannot read its dispense count: ${(error as Error).message}`,
        );
      }
      this.#dispensed = this.#file.count;
    }
    await super.open();
  }

  override async close(): Promise<void> {
    // A payout under way finishes first, as the motor of a real one would not stop mid-coin.
    await this.#running?.catch(() => {});
    this.#file?.close();
    this.#file = undefined;
    await super.close();
  }

  async dispensedCount(): Promise<number> {
    await this.#command();
    return this.#dispensed;
  }

  async payout(amount: MinorUnits): Promise<PayoutResult> {
    const coins = checkPayoutAmount(amount, this.coinValue);
    // One payout at a time, as there is one motor: a second waits for the first.
    while (this.#running) await this.#running.catch(() => {});
    const run = this.#pay(amount, coins);
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = undefined;
    }
  }

  async #pay(amount: MinorUnits, coins: number): Promise<PayoutResult> {
    await this.#command();
    const stopAfter = this.faults.has('empty') || this.faults.has('jam') ? this.#faultAfterCoins : Infinity;
    let paid = 0;
    let fault: PayoutFaultCode | undefined;
    while (paid < coins) {
      fault = this.#stopReason(paid, stopAfter);
      if (fault) break;
      await this.#o.clock.sleep(this.#o.coinMs);
      // The line may have gone while the coin was on its way: the host never hears of it.
      fault = this.faults.has('disconnect')
        ? 'disconnected'
        : this.faults.has('timeout')
          ? 'timeout'
          : undefined;
      if (fault) break;
      try {
        this.#count(this.#dispensed + 1);
      } catch {
        fault = 'nv-memory-error';
        break;
      }
      this.#coins--;
      paid++;
      for (const listener of [...this.#coinListeners]) listener(this.#dispensed);
    }
    if (fault === 'empty') this.#coins = 0;
    if (fault === 'jam') this.#jammed = true;
    this.refresh();
    const result: PayoutResult = { requested: amount, paid: paid * this.coinValue };
    return fault ? { ...result, fault } : result;
  }

  /** Why the next coin will not come out, if it will not. */
  #stopReason(paid: number, stopAfter: number): PayoutFaultCode | undefined {
    if (this.#jammed) return 'jam';
    if (this.#coins <= 0) return 'empty';
    if (paid >= stopAfter) return this.faults.has('jam') ? 'jam' : 'empty';
    return undefined;
  }

  /** The count goes to NV memory before the coin is told: a kill after this loses no coin. */
  #count(dispensed: number): void {
    this.#file?.write(dispensed);
    this.#dispensed = dispensed;
  }

  async #command(): Promise<void> {
    const { clock, answerMs } = this.#o;
    if (!this.isOpen) throw new DeviceError('hopper', 'closed', 'the hopper is not open');
    if (this.faults.has('disconnect'))
      throw new DeviceError('hopper', 'disconnected', 'the hopper is disconnected');
    if (this.faults.has('timeout')) {
      await clock.sleep(answerMs * 50);
      throw new DeviceError('hopper', 'timeout', 'the hopper did not answer');
    }
    await clock.sleep(answerMs);
  }

  protected refresh(): void {
    const reasons: string[] = [];
    if (!this.isOpen) reasons.push('closed');
    if (this.faults.has('disconnect')) reasons.push('disconnected');
    if (this.faults.has('timeout')) reasons.push('timeout');
    if (this.#jammed) reasons.push('jam');
    // A hopper that does not answer cannot say how full it is.
    const answers = this.isOpen && !this.faults.has('disconnect') && !this.faults.has('timeout');
    const level = answers ? levelOf(this.#coins, this.#o.lowLevel) : 'unknown';
    if (level === 'empty') reasons.push('empty');
    const online = this.isOpen && !this.faults.has('disconnect');
    this.statusCell.set({ online, ready: online && reasons.length === 0, reasons, level });
  }
}

function checkCoins(coins: number): number {
  if (!Number.isSafeInteger(coins) || coins < 0) {
    throw new RangeError(`coins to load are a whole number of at least 0, not ${coins}`);
  }
  return coins;
}
