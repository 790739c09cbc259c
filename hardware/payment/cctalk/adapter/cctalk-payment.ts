import { SystemClock, type Clock, type TimerHandle } from '../../../../core/clock.ts';
import { DeviceError, StatusCell, type Unsubscribe } from '../../../device-status.ts';
import type { PaymentDevice, PaymentEvent, PaymentStatus } from '../../payment-port.ts';
import { RouteBill, RouteBillError } from '../driver/cctalk-codes.ts';
import type { CcTalkIdentity } from './cctalk-identity.ts';
import { CcTalkError, Header, type CcTalkLink } from '../driver/cctalk-link.ts';
import { reasonOf, Unit, UnitCounters, unitError, type EventCounterStore } from './cctalk-unit.ts';
import { UnitCommands } from './cctalk-unit-commands.ts';
import { UnitEvents } from './cctalk-unit-events.ts';

export { probeCcTalkDevice, type CcTalkIdentity } from './cctalk-identity.ts';
export type { EventCounterStore } from './cctalk-unit.ts';

export interface CcTalkPaymentOptions {
  /** The ccTalk line; it stays the caller's (close() leaves it open, so the device can open again). */
  link: CcTalkLink;
  currency: string;
  /** A coin acceptor: its address and the value of each ccTalk coin id (e.g. 'EU200A') in minor units. */
  coin?: { address: number; values: Readonly<Record<string, number>> };
  /**
   * A bill validator: its address and the value of each bill id (e.g. 'EU0010A') in minor units.
   * With `escrow` (the default) a validated note waits in escrow for `stackEscrow` or
   * `returnEscrow`; without it the adapter stacks every note it knows at once.
   */
  bill?: { address: number; values: Readonly<Record<string, number>>; escrow?: boolean };
  counters: EventCounterStore;
  /** How often the buffered events are read, 100 to 500 ms; 200 by default. */
  pollMs?: number;
  clock?: Clock;
}

/**
 * A ccTalk coin acceptor and/or bill validator on one bus, as a `PaymentDevice`.
 *
 * open() runs the start-up of each device (simple poll, identity, coin or bill ids, inhibit mask
 * enabling the channels whose id has a value, master inhibit on), then the buffered credits (229)
 * or bill events (159) are read every `pollMs` and handed out oldest first.
 *
 * Money is never lost or doubled across restarts: each device's event counter is kept in the
 * store under its serial number. A credit carries its counter (`source`) so the journal stores
 * both in one transaction; other events move the stored counter only once every credit before
 * them is in the store. After a restart, events newer than the stored counter are handed out
 * again: credits exactly once, other events perhaps twice (harmless). Refs are
 * `<key>:<epoch>:<counter>`, the epoch moving on at every reset or wrap of the counter, so a
 * credit's ref never repeats.
 */
export class CcTalkPayment implements PaymentDevice {
  readonly kind = 'cctalk';
  readonly #link: CcTalkLink;
  readonly #events: UnitEvents;
  readonly #commands: UnitCommands;
  readonly #pollMs: number;
  readonly #clock: Clock;
  readonly #units: Unit[] = [];
  readonly #listeners = new Set<(event: PaymentEvent) => void>();
  readonly #status = new StatusCell<PaymentStatus>({
    online: false,
    ready: false,
    reasons: ['closed'],
    accepting: false,
  });
  #queue: Promise<unknown> = Promise.resolve();
  #opened = false;
  /** Counts opens and closes, so a poll scheduled before a close does not carry on after it. */
  #session = 0;
  #timer: TimerHandle | undefined;
  /** Whether the flow wants acceptance on; enforced on every poll (after a reset, say). */
  #want = false;
  #openFailure: string | undefined;

  constructor(options: CcTalkPaymentOptions) {
    const pollMs = options.pollMs ?? 200;
    if (!(pollMs >= 100 && pollMs <= 500)) throw new RangeError(`pollMs must be 100 to 500, not ${pollMs}`);
    if (!options.coin && !options.bill)
      throw new RangeError('a ccTalk payment device needs a coin or a bill device');
    if (!/\S/.test(options.currency)) throw new RangeError('the currency is missing');
    this.#link = options.link;
    this.#pollMs = pollMs;
    this.#clock = options.clock ?? new SystemClock();
    const counters = new UnitCounters(options.counters);
    this.#events = new UnitEvents(counters, options.currency, (event) => this.#emit(event));
    this.#commands = new UnitCommands(options.link, counters, this.#events);
    if (options.coin) {
      this.#units.push(new Unit('coin', options.coin.address, options.coin.values, false));
    }
    if (options.bill) {
      this.#units.push(
        new Unit('bill', options.bill.address, options.bill.values, options.bill.escrow ?? true),
      );
    }
    if (new Set(this.#units.map((u) => u.address)).size < this.#units.length) {
      throw new RangeError('the coin acceptor and the bill validator need different addresses');
    }
  }

  /** The devices' keys (`cctalk:coin:<serial>`) once identified; their addresses before. */
  get deviceId(): string {
    return this.#units.map((u) => u.key ?? `cctalk:${u.kind}@${u.address}`).join('+');
  }

  /** What each device said it was at its last start-up. */
  get identities(): CcTalkIdentity[] {
    return this.#units.flatMap((u) => (u.identity ? [u.identity] : []));
  }

  status(): PaymentStatus {
    return this.#status.get();
  }

  onStatus(listener: (status: PaymentStatus) => void): Unsubscribe {
    return this.#status.subscribe(listener);
  }

  onEvent(listener: (event: PaymentEvent) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async open(): Promise<void> {
    if (this.#opened) return;
    await this.#run(async () => {
      this.#want = false;
      this.#openFailure = undefined;
      for (const unit of this.#units) {
        try {
          await this.#commands.startUp(unit, true);
          unit.failure = null;
        } catch (error) {
          unit.failure = reasonOf(error);
          this.#openFailure = unit.failure;
          this.#refresh();
          throw unitError(unit, error, 'start-up failed');
        }
      }
      this.#opened = true;
      this.#session++;
    });
    this.#refresh();
    this.#schedule(this.#session);
  }

  /** Turns acceptance off (best effort), hands out what is still buffered, stops polling. */
  async close(): Promise<void> {
    if (!this.#opened) return;
    this.#opened = false;
    this.#session++;
    this.#want = false;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#run(async () => {
      for (const unit of this.#units) {
        try {
          await this.#commands.masterInhibit(unit, false);
          // Money taken just before the inhibit is handed out now (or, if no one journals it,
          // again after the next open: the stored counter has not moved past it).
          this.#events.process(unit, await this.#commands.readBuffer(unit));
          this.#events.settle(unit);
        } catch {
          unit.accepting = null;
        }
      }
    });
    this.#refresh();
  }

  async setAcceptance(enabled: boolean): Promise<void> {
    this.#mustBeOpen();
    await this.#run(async () => {
      this.#mustBeOpen();
      this.#want = enabled;
      let failed: { unit: Unit; error: unknown } | undefined;
      for (const unit of this.#units) {
        try {
          await this.#commands.masterInhibit(unit, enabled);
        } catch (error) {
          unit.failure = reasonOf(error);
          failed ??= { unit, error };
        }
      }
      if (failed && enabled) {
        // Half on is worse than off: the flow hears acceptance failed, so nothing takes money.
        this.#want = false;
        for (const unit of this.#units) {
          if (unit.accepting === false) continue;
          await this.#commands.masterInhibit(unit, false).catch(() => {});
        }
      }
      this.#refresh();
      if (failed) {
        throw unitError(failed.unit, failed.error, `could not turn acceptance ${enabled ? 'on' : 'off'}`);
      }
    });
  }

  stackEscrow(ref: string): Promise<void> {
    return this.#route(ref, RouteBill.Stack);
  }

  returnEscrow(ref: string): Promise<void> {
    return this.#route(ref, RouteBill.Return);
  }

  // --- polling ---------------------------------------------------------------------------------

  #schedule(session: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#run(() => this.#pollAll())
        .catch(() => {})
        .finally(() => {
          if (this.#opened && session === this.#session) this.#schedule(session);
        });
    }, this.#pollMs);
  }

  async #pollAll(): Promise<void> {
    if (!this.#opened) return;
    for (const unit of this.#units) await this.#pollUnit(unit);
    this.#refresh();
  }

  async #pollUnit(unit: Unit): Promise<void> {
    try {
      if (unit.needsStartup) await this.#commands.startUp(unit, false);
      this.#events.process(unit, await this.#commands.readBuffer(unit));
      if (unit.needsStartup) await this.#commands.startUp(unit, false);
      else if (this.#want && unit.accepting === true && (await this.#commands.forgotSettings(unit))) {
        this.#emit({
          type: 'fault',
          code: 'device-reset',
          message: `the ${unit.name} has its master inhibit on though acceptance is on: it was reset; start-up runs again`,
        });
        await this.#commands.startUp(unit, false);
      }
      await this.#commands.autoRoute(unit, (event) => this.#emit(event));
      if (unit.accepting !== this.#want) await this.#commands.masterInhibit(unit, this.#want);
      this.#events.settle(unit);
      unit.failure = null;
    } catch (error) {
      unit.failure = reasonOf(error);
      // Whatever it missed, the master inhibit is set again once it answers.
      if (error instanceof CcTalkError) unit.accepting = null;
    }
  }

  // --- commands --------------------------------------------------------------------------------

  async #route(ref: string, action: number): Promise<void> {
    this.#mustBeOpen();
    await this.#run(async () => {
      this.#mustBeOpen();
      const unit = this.#units.find((u) => u.kind === 'bill' && u.held?.ref === ref);
      const note = unit?.held;
      if (!unit || !note) throw new DeviceError('payment', 'no-escrow', `no note ${ref} is held in escrow`);
      const what = action === RouteBill.Stack ? 'stack' : 'return';
      let reply: Uint8Array;
      try {
        reply = await this.#link.request(unit.address, Header.RouteBill, Uint8Array.of(action));
      } catch (error) {
        unit.failure = reasonOf(error);
        this.#refresh();
        throw unitError(unit, error, `could not ${what} the note ${ref}`);
      }
      if (reply[0] === RouteBillError.EscrowEmpty) {
        // It went back on the validator's own escrow timeout, or into a jam: its event follows.
        throw new DeviceError('payment', 'no-escrow', `the ${unit.name} holds no note in escrow (${ref})`);
      }
      if (reply.length > 0) {
        throw new DeviceError(
          'payment',
          'route-failed',
          `the ${unit.name} could not ${what} the note ${ref}`,
        );
      }
      unit.held = undefined;
      // Stacked: the credit comes with the validator's "stacked" event. Returned: so does that.
      if (action === RouteBill.Return) unit.returning = note;
    });
  }

  // --- plumbing --------------------------------------------------------------------------------

  /** One thing at a time on the adapter: a poll, a start-up, a command. */
  #run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => {});
    return run;
  }

  #mustBeOpen(): void {
    if (!this.#opened) throw new DeviceError('payment', 'closed', 'the ccTalk payment device is not open');
  }

  #emit(event: PaymentEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener that throws must not keep the others (the cash desk) from hearing of money.
      }
    }
  }

  #refresh(): void {
    if (!this.#opened) {
      this.#status.set({
        online: false,
        ready: false,
        reasons: this.#openFailure ? ['closed', this.#openFailure] : ['closed'],
        accepting: false,
      });
      return;
    }
    const reasons = [...new Set(this.#units.flatMap((u) => (u.failure ? [u.failure] : [])))];
    const online = !reasons.some((r) => r === 'timeout' || r === 'disconnected');
    this.#status.set({
      online,
      ready: online && reasons.length === 0,
      reasons,
      accepting: this.#units.every((u) => u.accepting === true),
    });
  }
}
