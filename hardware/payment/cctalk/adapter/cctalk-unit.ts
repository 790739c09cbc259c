import type { PaymentDeviceCode } from '../../../../core/errors.ts';
import { DeviceError } from '../../../device-status.ts';
import type { EventCounterStore, MinorUnits } from '../../payment-port.ts';
import { CcTalkError } from '../driver/cctalk-link.ts';
import type { CcTalkDeviceKind, CcTalkIdentity } from './cctalk-identity.ts';

export type { EventCounterStore } from '../../payment-port.ts';

/** A note the adapter knows to be in escrow (or on its way back to the customer). */
export interface Note {
  readonly ref: string;
  readonly amount: MinorUnits;
  readonly channel: number;
}

/** One device on the bus (coin acceptor or bill validator) and what the adapter knows of it. */
export class Unit {
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
  ) {
    for (const [id, value] of Object.entries(values)) {
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new RangeError(`the ${kind} ${id} needs a positive whole number of minor units, not ${value}`);
      }
    }
  }

  get name(): string {
    return `${this.kind === 'coin' ? 'coin acceptor' : 'bill validator'} at address ${this.address}`;
  }

  /** The value in minor units of what came in on `channel`; undefined when the config has none. */
  valueOf(channel: number): { id: string | undefined; amount: MinorUnits | undefined } {
    const id = this.channels.get(channel);
    return { id, amount: id === undefined ? undefined : this.values[id] };
  }
}

/**
 * The units' event counters and epochs in the store. A store that fails is a DeviceError
 * (`counter-store-failed`): the adapter then stops handing out money rather than guess.
 */
export class UnitCounters {
  constructor(readonly store: EventCounterStore) {}

  read(key: string): number | null {
    try {
      return this.store.lastEventCounter(key);
    } catch (error) {
      throw new DeviceError(
        'payment',
        'counter-store-failed',
        `reading the event counter ${key}: ${errorText(error)}`,
      );
    }
  }

  write(key: string, counter: number): void {
    try {
      this.store.setEventCounter(key, counter);
    } catch (error) {
      throw new DeviceError(
        'payment',
        'counter-store-failed',
        `writing the event counter ${key}: ${errorText(error)}`,
      );
    }
  }

  readEpoch(key: string): number | null {
    return this.read(epochKey(key));
  }

  writeEpoch(key: string, epoch: number): void {
    this.write(epochKey(key), epoch);
  }
}

const epochKey = (key: string) => `${key}#epoch`;

/** A status reason / DeviceError code for what went wrong. */
export function reasonOf(error: unknown): PaymentDeviceCode {
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

/** The error as a DeviceError of the payment device, saying which unit and what it was doing. */
export function unitError(unit: Unit, error: unknown, what: string): DeviceError {
  if (error instanceof DeviceError) return error;
  return new DeviceError('payment', reasonOf(error), `the ${unit.name}: ${what}: ${errorText(error)}`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
