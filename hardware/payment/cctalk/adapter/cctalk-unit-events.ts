import type { PaymentEvent } from '../../payment-port.ts';
import { RouteBill } from '../driver/cctalk-codes.ts';
import { eventSlots } from '../driver/cctalk-event-buffer.ts';
import { counterBefore, counterChange } from './cctalk-event-counter.ts';
import { billEventMeaning, coinEventMeaning } from './cctalk-event-map.ts';
import type { Unit, UnitCounters } from './cctalk-unit.ts';

/**
 * What a unit's buffered events mean for the customer's money, and the counter bookkeeping that
 * makes each credit count exactly once across restarts. No I/O to the device here: the adapter
 * reads the buffer and hands it in; events go out through `emit`.
 *
 * A credit carries its counter (`source`) so the journal stores both in one transaction; other
 * events move the stored counter only once every credit before them is in the store (`settle`).
 * Refs are `<key>:<epoch>:<counter>`, the epoch moving on at every reset or wrap of the counter,
 * so a credit's ref never repeats.
 */
export class UnitEvents {
  constructor(
    readonly counters: UnitCounters,
    readonly currency: string,
    readonly emit: (event: PaymentEvent) => void,
  ) {}

  /** Hands out the events newer than the last one handled, oldest first. */
  process(unit: Unit, data: Uint8Array): void {
    const counter = data[0]!;
    const change = counterChange(unit.last, counter);
    if (change.kind === 'none') return;
    if (change.kind === 'reset') {
      this.deviceReset(unit, 'while running');
      unit.needsStartup = true;
    }
    const visible = Math.min(change.count, eventSlots);
    if (change.count > visible) {
      this.emit({
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

  /** A device that lost its counter: new epoch, counter from 0, a held note is gone. */
  deviceReset(unit: Unit, when: string): void {
    this.#newEpoch(unit);
    unit.last = 0;
    if (unit.unconfirmed === null) {
      this.counters.write(unit.key!, 0);
      unit.persisted = 0;
    }
    this.emit({
      type: 'fault',
      code: 'device-reset',
      message: `the ${unit.name} was reset ${when} (its event counter started again); start-up runs again`,
    });
    const note = unit.held;
    unit.held = unit.returning = unit.autoRoute = undefined;
    // A reset hands a held note back to the customer.
    if (note && note.amount > 0) this.emit({ type: 'returned', ref: note.ref, amount: note.amount });
  }

  /**
   * Moves the stored counter on past events that are not credits, once every credit handed out
   * before them is in the store (the journal wrote it with the credit). Until then the stored
   * counter stays where it is: after a restart those events come again, and the credit with them.
   */
  settle(unit: Unit): void {
    const key = unit.key!;
    if (unit.unconfirmed !== null && this.counters.read(key) === unit.unconfirmed) {
      unit.persisted = unit.unconfirmed;
      unit.unconfirmed = null;
    }
    if (unit.unconfirmed === null && unit.persisted !== unit.last) {
      this.counters.write(key, unit.last);
      unit.persisted = unit.last;
    }
  }

  #newEpoch(unit: Unit): void {
    this.counters.writeEpoch(unit.key!, unit.epoch + 1);
    unit.epoch++;
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
        const { id, amount } = unit.valueOf(meaning.channel);
        if (amount === undefined) {
          this.emit({
            type: 'fault',
            code: 'unknown-credit',
            message: `the ${unit.name} took ${id ?? `channel ${meaning.channel}`}, which has no value in the config; reconcile with the cash box`,
          });
          return;
        }
        unit.unconfirmed = eventCounter;
        this.emit({
          type: 'credit',
          ref,
          amount,
          currency: this.currency,
          channel: unit.kind,
          source: { deviceId: unit.key!, eventCounter },
        });
        return;
      }
      case 'escrow': {
        const { amount } = unit.valueOf(meaning.channel);
        const note = { ref, amount: amount ?? 0, channel: meaning.channel };
        unit.held = note;
        if (amount === undefined) {
          unit.autoRoute = { action: RouteBill.Return, note };
          this.emit({ type: 'rejected', reason: 'unknown-value' });
        } else if (!unit.escrow) {
          unit.autoRoute = { action: RouteBill.Stack, note };
        } else {
          this.emit({ type: 'escrow', ref, amount, currency: this.currency });
        }
        return;
      }
      case 'returned': {
        const note = unit.returning ?? unit.held;
        unit.returning = undefined;
        if (note === unit.held) unit.held = undefined;
        if (note && note.amount > 0) this.emit({ type: 'returned', ref: note.ref, amount: note.amount });
        else if (!note) this.emit({ type: 'rejected', reason: 'note-returned' });
        return;
      }
      case 'rejected':
        this.emit({ type: 'rejected', reason: meaning.reason });
        return;
      case 'fault': {
        let message = `${unit.name}: ${meaning.message}`;
        if (meaning.code === 'note-jam' && unit.held) {
          message += ` (the note of ${unit.held.amount} held in escrow is in the jam)`;
          unit.held = undefined;
        }
        this.emit({ type: 'fault', code: meaning.code, message });
        return;
      }
      case 'stacker-ok':
        return;
    }
  }
}
