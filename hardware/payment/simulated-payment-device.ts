import type { Clock, TimerHandle } from '../../core/clock.ts';
import { DeviceError, type Unsubscribe } from '../device-status.ts';
import { SeededRandom } from '../sim/seeded-random.ts';
import type { SimFault } from '../sim/faults.ts';
import { SimulatedDevice } from '../sim/simulated-device.ts';
import type { EventCounterStore, PaymentDevice, PaymentEvent, PaymentStatus } from './payment-port.ts';

export interface SimulatedPaymentOptions {
  clock: Clock;
  currency: string;
  /** Coin values accepted, minor units. */
  coins: readonly number[];
  /** Note values accepted, minor units. */
  bills: readonly number[];
  seed?: number;
  deviceId?: string;
  /** How often the host polls the device for events, as a ccTalk host does. */
  pollMs?: number;
  /** How long the device takes to answer a command. */
  answerMs?: number;
  /**
   * Where the device keeps its epoch across restarts (the credit journal). Each open starts a new
   * epoch, so a ref never repeats: without it, a restarted or reloaded booth would number its
   * coins from 1 again and the journal would drop them as already credited.
   */
  counters?: EventCounterStore;
}

export type InsertResult = 'credited' | 'escrow' | 'rejected';

/**
 * A coin acceptor and note validator in one. Like a real ccTalk device it buffers events and
 * hands them over when polled, so money taken just before acceptance is switched off still
 * arrives as a credit, exactly once.
 */
export class SimulatedPaymentDevice extends SimulatedDevice<PaymentStatus> implements PaymentDevice {
  readonly deviceId: string;
  /** Money that went into the cash box, as the device counts it. */
  acceptedTotal = 0;
  rejectedCount = 0;
  readonly #o: Required<Omit<SimulatedPaymentOptions, 'seed' | 'deviceId' | 'counters'>>;
  readonly #counters: EventCounterStore | undefined;
  #epoch = 0;
  readonly #listeners = new Set<(event: PaymentEvent) => void>();
  readonly #buffer: PaymentEvent[] = [];
  readonly #escrow = new Map<string, number>();
  readonly #random: SeededRandom;
  #accepting = false;
  #events = 0;
  #poll: TimerHandle | undefined;
  #polls = 0;

  constructor(options: SimulatedPaymentOptions) {
    super('payment device', ['disconnect', 'timeout', 'garbage', 'jam'], {
      online: false,
      ready: false,
      reasons: ['closed'],
      accepting: false,
    });
    const { counters, ...rest } = options;
    this.#o = { pollMs: 200, answerMs: 20, ...rest };
    this.#counters = counters;
    this.deviceId = options.deviceId ?? 'SIM-PAY-0001';
    this.#random = new SeededRandom(options.seed ?? 1).fork('payment');
  }

  override injectFault(fault: SimFault): void {
    super.injectFault(fault);
    if (fault === 'jam')
      this.#buffer.push({ type: 'fault', code: 'jam', message: 'a note is jammed in the validator' });
  }

  override async open(): Promise<void> {
    this.#accepting = false;
    if (this.#counters) {
      const key = `${this.deviceId}#epoch`;
      this.#epoch = (this.#counters.lastEventCounter(key) ?? 0) + 1;
      this.#counters.setEventCounter(key, this.#epoch);
    } else this.#epoch++;
    this.#events = 0;
    const poll = () => {
      this.#poll = this.#o.clock.setTimeout(poll, this.#o.pollMs);
      // Most polls find nothing: told so, simulated time moves on without settling after them.
      if (!this.#deliver()) this.#o.clock.timerDidNothing?.();
    };
    this.#poll ??= this.#o.clock.setTimeout(poll, this.#o.pollMs);
    await super.open();
  }

  override async close(): Promise<void> {
    if (this.#poll) this.#o.clock.clearTimeout(this.#poll);
    this.#poll = undefined;
    this.#accepting = false;
    await super.close();
  }

  onEvent(listener: (event: PaymentEvent) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async setAcceptance(enabled: boolean): Promise<void> {
    await this.#command();
    this.#accepting = enabled;
    this.refresh();
  }

  async stackEscrow(ref: string): Promise<void> {
    await this.#command();
    const amount = this.#escrow.get(ref);
    if (amount === undefined)
      throw new DeviceError('payment', 'no-escrow', `no note ${ref} is held in escrow`);
    this.#escrow.delete(ref);
    this.acceptedTotal += amount;
    this.#buffer.push({ type: 'credit', ref, amount, currency: this.#o.currency, channel: 'bill' });
  }

  async returnEscrow(ref: string): Promise<void> {
    await this.#command();
    const amount = this.#escrow.get(ref);
    if (amount === undefined)
      throw new DeviceError('payment', 'no-escrow', `no note ${ref} is held in escrow`);
    this.#escrow.delete(ref);
    this.#buffer.push({ type: 'returned', ref, amount });
  }

  /** A customer drops a coin in. */
  insertCoin(value: number): InsertResult {
    if (!this.#takes(value, this.#o.coins)) return 'rejected';
    this.acceptedTotal += value;
    this.#buffer.push({
      type: 'credit',
      ref: this.#nextRef(),
      amount: value,
      currency: this.#o.currency,
      channel: 'coin',
    });
    return 'credited';
  }

  /** A customer feeds a note; it waits in escrow until the host stacks or returns it. */
  insertBill(value: number): InsertResult {
    if (!this.#takes(value, this.#o.bills)) return 'rejected';
    if (this.faults.has('jam')) {
      this.rejectedCount++;
      return 'rejected';
    }
    const ref = this.#nextRef();
    this.#escrow.set(ref, value);
    this.#buffer.push({ type: 'escrow', ref, amount: value, currency: this.#o.currency });
    return 'escrow';
  }

  /** Whether the device physically takes this coin or note now; a refusal is reported. */
  #takes(value: number, accepted: readonly number[]): boolean {
    const dead = !this.isOpen || this.faults.has('disconnect') || this.faults.has('timeout');
    const reason = dead
      ? 'device-not-ready'
      : !this.#accepting
        ? 'inhibited'
        : accepted.includes(value)
          ? null
          : 'unknown-value';
    if (reason === null) return true;
    this.rejectedCount++;
    if (!dead) this.#buffer.push({ type: 'rejected', reason });
    return false;
  }

  #nextRef(): string {
    return `${this.deviceId}:${this.#epoch}:${++this.#events}`;
  }

  /** One poll: hand over buffered events, oldest first, unless the line is dead. Whether it told any. */
  #deliver(): boolean {
    if (this.faults.has('disconnect') || this.faults.has('timeout')) return false;
    this.#polls++;
    let told = false;
    if (this.faults.has('garbage') && this.#polls % 25 === 1) {
      this.#emit({ type: 'fault', code: 'garbage', message: 'a reply failed its checksum and was ignored' });
      told = true;
    }
    for (const event of this.#buffer.splice(0)) {
      this.#emit(event);
      told = true;
    }
    return told;
  }

  #emit(event: PaymentEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  async #command(): Promise<void> {
    const { clock, answerMs } = this.#o;
    if (!this.isOpen) throw new DeviceError('payment', 'closed', 'the payment device is not open');
    if (this.faults.has('disconnect'))
      throw new DeviceError('payment', 'disconnected', 'the payment device is disconnected');
    if (this.faults.has('timeout')) {
      await clock.sleep(answerMs * 50);
      throw new DeviceError('payment', 'timeout', 'the payment device did not answer');
    }
    await clock.sleep(answerMs + this.#random.int(0, answerMs));
  }

  protected refresh(): void {
    const reasons: string[] = [];
    if (!this.isOpen) reasons.push('closed');
    if (this.faults.has('disconnect')) reasons.push('disconnected');
    if (this.faults.has('timeout')) reasons.push('timeout');
    if (this.faults.has('jam')) reasons.push('jam');
    const online = this.isOpen && !this.faults.has('disconnect');
    this.statusCell.set({
      online,
      ready: online && reasons.length === 0,
      reasons,
      accepting: this.#accepting,
    });
  }
}
