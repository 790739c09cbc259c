import type { PaymentFaultCode } from '../../core/errors.ts';
import type { DeviceStatus, Unsubscribe } from '../device-status.ts';

/** Money is always an integer count of the currency's minor unit (cents, fen, ...). */
export type MinorUnits = number;

export type PaymentEvent =
  /**
   * Money the device has taken for good (coin in the cash box, note stacked).
   * `ref` is unique per device and event, so the journal can refuse a credit it already holds.
   * `source` names the physical device that took the money and the event counter it gave the
   * credit, so the journal can store the counter in the same transaction as the credit (a
   * restart then neither loses nor doubles it). Adapters without event counters leave it out.
   */
  | {
      type: 'credit';
      ref: string;
      amount: MinorUnits;
      currency: string;
      channel: 'coin' | 'bill';
      source?: { deviceId: string; eventCounter: number };
    }
  /** A note is held in escrow: call `stackEscrow()` to take it or `returnEscrow()` to give it back. */
  | { type: 'escrow'; ref: string; amount: MinorUnits; currency: string }
  /** The device gave a held note back. */
  | { type: 'returned'; ref: string; amount: MinorUnits }
  /** Something was refused or went wrong that the customer or staff should know about. */
  | { type: 'rejected'; reason: string }
  /** For staff: a registered payment fault (core/errors.ts `paymentFault`). */
  | { type: 'fault'; code: PaymentFaultCode; message: string };

/**
 * Where payment devices keep their last event counter (and epoch) per device across restarts:
 * the credit journal, which stores a credit's counter in the same transaction as the credit.
 */
export interface EventCounterStore {
  lastEventCounter(deviceId: string): number | null;
  setEventCounter(deviceId: string, counter: number): void;
}

export interface PaymentStatus extends DeviceStatus {
  /** Acceptance is on (the master inhibit is off). */
  readonly accepting: boolean;
}

export interface PaymentDevice {
  readonly kind: string;
  /** Stable identity of the physical device (its serial number), used to key its event counter. */
  readonly deviceId: string;
  open(): Promise<void>;
  close(): Promise<void>;
  status(): PaymentStatus;
  onStatus(listener: (status: PaymentStatus) => void): Unsubscribe;
  onEvent(listener: (event: PaymentEvent) => void): Unsubscribe;
  /** Turns acceptance on or off. Rejects with a DeviceError when the device does not answer. */
  setAcceptance(enabled: boolean): Promise<void>;
  stackEscrow(ref: string): Promise<void>;
  returnEscrow(ref: string): Promise<void>;
}
