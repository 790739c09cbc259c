import { SystemClock, type Clock, type TimerHandle } from '../../../../core/clock.ts';
import type { PaymentDeviceCode } from '../../../../core/errors.ts';
import { DeviceError, StatusCell, type Unsubscribe } from '../../../device-status.ts';
import type { MinorUnits, PaymentDevice, PaymentEvent, PaymentStatus } from '../../payment-port.ts';
import { MasterInhibit, RouteBill, RouteBillError } from '../driver/cctalk-codes.ts';
import { eventSlots } from '../driver/cctalk-event-buffer.ts';
import { counterBefore, counterChange } from './cctalk-event-counter.ts';
import { billEventMeaning, coinEventMeaning } from './cctalk-event-map.ts';
import {
  deviceKindOf,
  probeCcTalkDevice,
  type CcTalkDeviceKind,
  type CcTalkIdentity,
} from './cctalk-identity.ts';
import { CcTalkError, Header, type CcTalkLink } from '../driver/cctalk-link.ts';

export { probeCcTalkDevice, type CcTalkIdentity } from './cctalk-identity.ts';

/**
 * Where the last event counter of each ccTalk device is kept across restarts (the credit journal,
 * which also stores a credit's counter in the same transaction as the credit).
 */
export interface EventCounterStore {
  lastEventCounter(deviceId: string): number | null;
  setEventCounter(deviceId: string, counter: number): void;
}

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

/** A note the adapter knows to be in escrow (or on its way back to the customer). */
interface Note {
  readonly ref: string;
  readonly amount: MinorUnits;
  readonly channel: number;
}

/** One device on the bus (coin acceptor or bill validator) and what the adapter knows of it. */
class Unit {
  identity: CcTalkIdentity | undefined;
  /** `cctalk:<kind>:<serial number>`: the key of its event counter and the start of its refs. */
  key: string | undefined;
  channels = new Map<number, string>();
  /** The counter of the last event handled (0: none since the device's last reset). */
  last = 0;
  /** Bumped at every reset and every wrap of the counter, so refs never repeat. */
  epoch = 0;
  /** The counter known to be in the store. */
  persisted: number | null = null;
  /** The counter of the newest credit handed out that the store does not show yet. */
  unconfirmed: number | null = null;
  /** Master inhibit off, as the device last confirmed; null when unknown (it stopped answering). */
  accepting: boolean | null = false;
  needsStartup = false;
  /** Why the last command to it failed; null while it answers. */
  failure: string | null = null;
  held: Note | undefined;
  returning: Note | undefined;
  /** A note to route without asking the flow (escrow off, or a note with no value in the config). */
  autoRoute: { action: number; note: Note } | undefined;

  constructor(
    readonly kind: CcTalkDeviceKind,
    readonly address: number,
    readonly values: Readonly<Record<string, number>>,
    readonly escrow: boolean,
  ) {}

  get name(): string {
    return `${this.kind === 'coin' ? 'coin acceptor' : 'bill validator'} at address ${this.address}`;
  }
}

/** Long enough for a late reply to arrive at 9600 baud (a ccTalk reply takes a few ms to tens of ms). */
const stragglerMs = 50;

const epochKey = (key: string) => `${key}#epoch`;

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
  readonly #currency: string;
  readonly #store: EventCounterStore;
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
    this.#currency = options.currency;
    this.#store = options.counters;
    this.#pollMs = pollMs;
    this.#clock = options.clock ?? new SystemClock();
    if (options.coin) {
      checkValues(options.coin.values, 'coin');
      this.#units.push(new Unit('coin', options.coin.address, options.coin.values, false));
    }
    if (options.bill) {
      checkValues(options.bill.values, 'bill');
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
          await this.#startUnit(unit, true);
          unit.failure = null;
        } catch (error) {
          unit.failure = reasonOf(error);
          this.#openFailure = unit.failure;
          this.#refresh();
          throw this.#deviceError(unit, error, 'start-up failed');
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
          await this.#link.request(
            unit.address,
            Header.ModifyMasterInhibit,
            Uint8Array.of(MasterInhibit.Inhibited),
          );
          unit.accepting = false;
          // Money taken just before the inhibit is handed out now (or, if no one journals it,
          // again after the next open: the stored counter has not moved past it).
          this.#process(unit, await this.#readBuffer(unit));
          this.#settleCounter(unit);
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
          await this.#masterInhibit(unit, enabled);
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
          await this.#masterInhibit(unit, false).catch(() => {});
        }
      }
      this.#refresh();
      if (failed) {
        throw this.#deviceError(
          failed.unit,
          failed.error,
          `could not turn acceptance ${enabled ? 'on' : 'off'}`,
        );
      }
    });
  }

  stackEscrow(ref: string): Promise<void> {
    return this.#route(ref, RouteBill.Stack);
  }

  returnEscrow(ref: string): Promise<void> {
    return this.#route(ref, RouteBill.Return);
  }

  // --- start-up --------------------------------------------------------------------------------

  /**
   * Identity, inhibit mask, master inhibit on; a note left in escrow by a host that is gone is
   * handed back. With `reload` (at open) the device's counter and epoch are read from the store.
   */
  async #startUnit(unit: Unit, reload: boolean): Promise<void> {
    if (reload) {
      // A host that died in the middle of a command may have left the device's reply on its way:
      // paired with the next command it would shift every answer by one. One poll and a pause let
      // such a straggler arrive and be dropped before anything is read that matters.
      await this.#link.request(unit.address, Header.SimplePoll).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, stragglerMs));
    }
    const identity = await probeCcTalkDevice(this.#link, unit.address);
    if (deviceKindOf(identity.category) !== unit.kind) {
      throw new DeviceError(
        'payment',
        'wrong-device',
        `the ${unit.name} answers as "${identity.category}" (${identity.manufacturer} ${identity.productCode})`,
      );
    }
    const key = `cctalk:${unit.kind}:${identity.serialNumber}`;
    let firstSight = false;
    if (reload || key !== unit.key) {
      const stored = this.#storedCounter(key);
      unit.key = key;
      unit.epoch = this.#storedCounter(epochKey(key)) ?? 0;
      unit.last = stored ?? 0;
      unit.persisted = stored;
      unit.unconfirmed = null;
      unit.held = unit.returning = unit.autoRoute = undefined;
      firstSight = stored === null;
    }
    unit.identity = identity;
    unit.channels = new Map(identity.channels.map(({ channel, id }) => [channel, id]));
    let mask = 0;
    for (const { channel, id } of identity.channels) {
      if (unit.values[id] !== undefined) mask |= 1 << (channel - 1);
    }
    await this.#link.request(unit.address, Header.ModifyInhibitStatus, Uint8Array.of(mask & 0xff, mask >> 8));
    await this.#masterInhibit(unit, false);
    if (unit.kind === 'bill') {
      // A note held for a session that no longer exists goes back to its owner. The reply says
      // whether there was one (an empty escrow is the usual answer); a validator without escrow NAKs.
      await this.#link
        .request(unit.address, Header.RouteBill, Uint8Array.of(RouteBill.Return))
        .catch((error) => {
          if (!(error instanceof CcTalkError && error.code === 'nak')) throw error;
        });
    }
    const [counter] = await this.#readBuffer(unit);
    if (firstSight) {
      // A device this booth has never seen: what is in its buffer happened elsewhere.
      unit.last = counter!;
      this.#writeCounter(key, counter!);
      unit.persisted = counter!;
    } else if (counterChange(unit.last, counter!).kind === 'reset') {
      this.#deviceReset(unit, 'while the booth was not polling it');
    }
    unit.needsStartup = false;
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
      if (unit.needsStartup) await this.#startUnit(unit, false);
      this.#process(unit, await this.#readBuffer(unit));
      if (unit.needsStartup) await this.#startUnit(unit, false);
      else if (this.#want && unit.accepting === true && (await this.#forgotSettings(unit))) {
        this.#emit({
          type: 'fault',
          code: 'device-reset',
          message: `the ${unit.name} has its master inhibit on though acceptance is on: it was reset; start-up runs again`,
        });
        await this.#startUnit(unit, false);
      }
      await this.#autoRoute(unit);
      if (unit.accepting !== this.#want) await this.#masterInhibit(unit, this.#want);
      this.#settleCounter(unit);
      unit.failure = null;
    } catch (error) {
      unit.failure = reasonOf(error);
      // Whatever it missed, the master inhibit is set again once it answers.
      if (error instanceof CcTalkError) unit.accepting = null;
    }
  }

  /**
   * A reset the counter cannot show (events after it brought the counter back to where it was)
   * still shows in the settings: a device comes out of a reset with its master inhibit on.
   */
  async #forgotSettings(unit: Unit): Promise<boolean> {
    try {
      const reply = await this.#link.request(unit.address, Header.RequestMasterInhibitStatus);
      return reply.length >= 1 && (reply[0]! & 1) === MasterInhibit.Inhibited;
    } catch (error) {
      if (error instanceof CcTalkError && error.code === 'nak') return false; // it cannot say
      throw error;
    }
  }

  async #readBuffer(unit: Unit): Promise<Uint8Array> {
    const header = unit.kind === 'coin' ? Header.ReadBufferedCredit : Header.ReadBufferedBillEvents;
    const data = await this.#link.request(unit.address, header);
    if (data.length < 1 + 2 * eventSlots) {
      throw new CcTalkError('wrong-reply', `the ${unit.name} sent ${data.length} bytes of events, not 11`);
    }
    return data;
  }

  /** Hands out the events newer than the last one handled, oldest first. */
  #process(unit: Unit, data: Uint8Array): void {
    const counter = data[0]!;
    const change = counterChange(unit.last, counter);
    if (change.kind === 'none') return;
    if (change.kind === 'reset') {
      this.#deviceReset(unit, 'while running');
      unit.needsStartup = true;
    }
    const visible = Math.min(change.count, eventSlots);
    if (change.count > visible) {
      this.#emit({
        type: 'fault',
        code: 'lost-events',
        message:
          `the ${unit.name} counted ${change.count} events since the last read but keeps only ${eventSlots}: ` +
          `${change.count - visible} were lost (any money among them is in the cash box but not credited)`,
      });
    }
    for (let slot = visible - 1; slot >= 0; slot--) {
      const eventCounter = counterBefore(counter, slot);
      if (eventCounter < unit.last) this.#newEpoch(unit); // the counter wrapped from 255 to 1
      unit.last = eventCounter;
      this.#handle(unit, eventCounter, data[1 + 2 * slot]!, data[2 + 2 * slot]!);
    }
  }

  #handle(unit: Unit, eventCounter: number, resultA: number, resultB: number): void {
    const meaning =
      unit.kind === 'coin' ? coinEventMeaning(resultA, resultB) : billEventMeaning(resultA, resultB);
    const ref = `${unit.key}:${unit.epoch}:${eventCounter}`;
    switch (meaning.kind) {
      case 'none':
        return;
      case 'credit': {
        if (unit.held?.channel === meaning.channel) unit.held = undefined;
        const id = unit.channels.get(meaning.channel);
        const amount = id === undefined ? undefined : unit.values[id];
        if (amount === undefined) {
          this.#emit({
            type: 'fault',
            code: 'unknown-credit',
            message: `the ${unit.name} took ${id ?? `channel ${meaning.channel}`}, which has no value in the config; reconcile with the cash box`,
          });
          return;
        }
        unit.unconfirmed = eventCounter;
        this.#emit({
          type: 'credit',
          ref,
          amount,
          currency: this.#currency,
          channel: unit.kind,
          source: { deviceId: unit.key!, eventCounter },
        });
        return;
      }
      case 'escrow': {
        const id = unit.channels.get(meaning.channel);
        const amount = id === undefined ? undefined : unit.values[id];
        const note = { ref, amount: amount ?? 0, channel: meaning.channel };
        unit.held = note;
        if (amount === undefined) {
          unit.autoRoute = { action: RouteBill.Return, note };
          this.#emit({ type: 'rejected', reason: 'unknown-value' });
        } else if (!unit.escrow) {
          unit.autoRoute = { action: RouteBill.Stack, note };
        } else {
          this.#emit({ type: 'escrow', ref, amount, currency: this.#currency });
        }
        return;
      }
      case 'returned': {
        const note = unit.returning ?? unit.held;
        unit.returning = undefined;
        if (note === unit.held) unit.held = undefined;
        if (note && note.amount > 0) this.#emit({ type: 'returned', ref: note.ref, amount: note.amount });
        else if (!note) this.#emit({ type: 'rejected', reason: 'note-returned' });
        return;
      }
      case 'rejected':
        this.#emit({ type: 'rejected', reason: meaning.reason });
        return;
      case 'fault': {
        let message = `${unit.name}: ${meaning.message}`;
        if (meaning.code === 'note-jam' && unit.held) {
          message += ` (the note of ${unit.held.amount} held in escrow is in the jam)`;
          unit.held = undefined;
        }
        this.#emit({ type: 'fault', code: meaning.code, message });
        return;
      }
      case 'stacker-ok':
        return;
    }
  }

  /** A device that lost its counter: new epoch, counter from 0, a held note is gone. */
  #deviceReset(unit: Unit, when: string): void {
    this.#newEpoch(unit);
    unit.last = 0;
    if (unit.unconfirmed === null) {
      this.#writeCounter(unit.key!, 0);
      unit.persisted = 0;
    }
    this.#emit({
      type: 'fault',
      code: 'device-reset',
      message: `the ${unit.name} was reset ${when} (its event counter started again); start-up runs again`,
    });
    const note = unit.held;
    unit.held = unit.returning = unit.autoRoute = undefined;
    // A reset hands a held note back to the customer.
    if (note && note.amount > 0) this.#emit({ type: 'returned', ref: note.ref, amount: note.amount });
  }

  #newEpoch(unit: Unit): void {
    this.#writeCounter(epochKey(unit.key!), unit.epoch + 1);
    unit.epoch++;
  }

  /**
   * Moves the stored counter on past events that are not credits, once every credit handed out
   * before them is in the store (the journal wrote it with the credit). Until then the stored
   * counter stays where it is: after a restart those events come again, and the credit with them.
   */
  #settleCounter(unit: Unit): void {
    const key = unit.key!;
    if (unit.unconfirmed !== null && this.#storedCounter(key) === unit.unconfirmed) {
      unit.persisted = unit.unconfirmed;
      unit.unconfirmed = null;
    }
    if (unit.unconfirmed === null && unit.persisted !== unit.last) {
      this.#writeCounter(key, unit.last);
      unit.persisted = unit.last;
    }
  }

  async #autoRoute(unit: Unit): Promise<void> {
    const pending = unit.autoRoute;
    if (!pending) return;
    unit.autoRoute = undefined;
    const reply = await this.#link.request(unit.address, Header.RouteBill, Uint8Array.of(pending.action));
    if (reply.length > 0 && reply[0] === RouteBillError.FailedToRoute) {
      this.#emit({ type: 'fault', code: 'route-failed', message: `the ${unit.name} could not route a note` });
      return;
    }
    if (unit.held === pending.note) unit.held = undefined;
    if (pending.action === RouteBill.Return && reply.length === 0) unit.returning = pending.note;
  }

  // --- commands --------------------------------------------------------------------------------

  async #masterInhibit(unit: Unit, accepting: boolean): Promise<void> {
    try {
      await this.#link.request(
        unit.address,
        Header.ModifyMasterInhibit,
        Uint8Array.of(accepting ? MasterInhibit.Accepting : MasterInhibit.Inhibited),
      );
    } catch (error) {
      unit.accepting = null;
      throw error;
    }
    unit.accepting = accepting;
  }

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
        throw this.#deviceError(unit, error, `could not ${what} the note ${ref}`);
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

  #storedCounter(key: string): number | null {
    try {
      return this.#store.lastEventCounter(key);
    } catch (error) {
      throw new DeviceError(
        'payment',
        'counter-store-failed',
        `reading the event counter ${key}: ${message(error)}`,
      );
    }
  }

  #writeCounter(key: string, counter: number): void {
    try {
      this.#store.setEventCounter(key, counter);
    } catch (error) {
      throw new DeviceError(
        'payment',
        'counter-store-failed',
        `writing the event counter ${key}: ${message(error)}`,
      );
    }
  }

  #deviceError(unit: Unit, error: unknown, what: string): DeviceError {
    if (error instanceof DeviceError) return error;
    return new DeviceError('payment', reasonOf(error), `the ${unit.name}: ${what}: ${message(error)}`);
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

/** A status reason / DeviceError code for what went wrong. */
function reasonOf(error: unknown): PaymentDeviceCode {
  if (DeviceError.of(error, 'payment')) return error.code;
  if (!(error instanceof CcTalkError)) return 'adapter-error';
  switch (error.code) {
    case 'timeout':
      return 'timeout';
    case 'closed':
      return 'disconnected';
    case 'nak':
      return 'refused';
    case 'busy':
      return 'busy';
    default:
      return 'line-errors';
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkValues(values: Readonly<Record<string, number>>, what: string): void {
  for (const [id, value] of Object.entries(values)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`the ${what} ${id} needs a positive whole number of minor units, not ${value}`);
    }
  }
}
