import { DeviceError } from '../../../device-status.ts';
import type { PaymentEvent } from '../../payment-port.ts';
import { MasterInhibit, RouteBill, RouteBillError } from '../driver/cctalk-codes.ts';
import { eventSlots } from '../driver/cctalk-event-buffer.ts';
import { CcTalkError, Header, type CcTalkLink } from '../driver/cctalk-link.ts';
import { counterChange } from './cctalk-event-counter.ts';
import { deviceKindOf, probeCcTalkDevice } from './cctalk-identity.ts';
import type { Unit, UnitCounters } from './cctalk-unit.ts';
import type { UnitEvents } from './cctalk-unit-events.ts';

/** Long enough for a late reply to arrive at 9600 baud (a ccTalk reply takes a few ms to tens of ms). */
const stragglerMs = 50;

/**
 * The commands the adapter sends one unit (start-up, reading its buffer, master inhibit,
 * routing a note on its own), each keeping the unit's state in step with what the device said.
 */
export class UnitCommands {
  constructor(
    readonly link: CcTalkLink,
    readonly counters: UnitCounters,
    readonly events: UnitEvents,
  ) {}

  /**
   * Identity, inhibit mask, master inhibit on; a note left in escrow by a host that is gone is
   * handed back. With `reload` (at open) the device's counter and epoch are read from the store.
   */
  async startUp(unit: Unit, reload: boolean): Promise<void> {
    if (reload) {
      // A host that died in the middle of a command may have left the device's reply on its way:
      // paired with the next command it would shift every answer by one. One poll and a pause let
      // such a straggler arrive and be dropped before anything is read that matters.
      await this.link.request(unit.address, Header.SimplePoll).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, stragglerMs));
    }
    const identity = await probeCcTalkDevice(this.link, unit.address);
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
      const stored = this.counters.read(key);
      unit.key = key;
      unit.epoch = this.counters.readEpoch(key) ?? 0;
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
    await this.link.request(unit.address, Header.ModifyInhibitStatus, Uint8Array.of(mask & 0xff, mask >> 8));
    await this.masterInhibit(unit, false);
    if (unit.kind === 'bill') {
      // A note held for a session that no longer exists goes back to its owner. The reply says
      // whether there was one (an empty escrow is the usual answer); a validator without escrow NAKs.
      await this.link
        .request(unit.address, Header.RouteBill, Uint8Array.of(RouteBill.Return))
        .catch((error) => {
          if (!(error instanceof CcTalkError && error.code === 'nak')) throw error;
        });
    }
    const [counter] = await this.readBuffer(unit);
    if (firstSight) {
      // A device this booth has never seen: what is in its buffer happened elsewhere.
      unit.last = counter!;
      this.counters.write(key, counter!);
      unit.persisted = counter!;
    } else if (counterChange(unit.last, counter!).kind === 'reset') {
      this.events.deviceReset(unit, 'while the booth was not polling it');
    }
    unit.needsStartup = false;
  }

  async readBuffer(unit: Unit): Promise<Uint8Array> {
    const header = unit.kind === 'coin' ? Header.ReadBufferedCredit : Header.ReadBufferedBillEvents;
    const data = await this.link.request(unit.address, header);
    if (data.length < 1 + 2 * eventSlots) {
      throw new CcTalkError('wrong-reply', `the ${unit.name} sent ${data.length} bytes of events, not 11`);
    }
    return data;
  }

  async masterInhibit(unit: Unit, accepting: boolean): Promise<void> {
    try {
      await this.link.request(
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

  /**
   * A reset the counter cannot show (events after it brought the counter back to where it was)
   * still shows in the settings: a device comes out of a reset with its master inhibit on.
   */
  async forgotSettings(unit: Unit): Promise<boolean> {
    try {
      const reply = await this.link.request(unit.address, Header.RequestMasterInhibitStatus);
      return reply.length >= 1 && (reply[0]! & 1) === MasterInhibit.Inhibited;
    } catch (error) {
      if (error instanceof CcTalkError && error.code === 'nak') return false; // it cannot say
      throw error;
    }
  }

  /** Routes a note the flow is not asked about (escrow off, or no value in the config). */
  async autoRoute(unit: Unit, emit: (event: PaymentEvent) => void): Promise<void> {
    const pending = unit.autoRoute;
    if (!pending) return;
    unit.autoRoute = undefined;
    const reply = await this.link.request(unit.address, Header.RouteBill, Uint8Array.of(pending.action));
    if (reply.length > 0 && reply[0] === RouteBillError.FailedToRoute) {
      emit({ type: 'fault', code: 'route-failed', message: `the ${unit.name} could not route a note` });
      return;
    }
    if (unit.held === pending.note) unit.held = undefined;
    if (pending.action === RouteBill.Return && reply.length === 0) unit.returning = pending.note;
  }
}
