import type { Clock } from '../../core/clock.ts';
import { StatusCell, type DeviceStatus, type Unsubscribe } from '../../hardware/device-status.ts';
import type { PaymentDevice } from '../../hardware/payment/payment-port.ts';
import type { Logger } from '../logging/logger.ts';

/** The same code again within this long is the same incident, not a new one. */
const sameIncidentMs = 10_000;

export interface PaymentFaultWatchOptions {
  device: PaymentDevice;
  clock: Clock;
  logger: Logger;
  /** This many faults within `windowMs` take the booth out of service. */
  faults: number;
  windowMs: number;
}

/**
 * Escalates a payment device that keeps faulting. One note jam or one timeout is the customer's
 * bad luck; the same again and again is a device that eats money, and a booth that keeps
 * offering payment on it alternates between "insert coins" and "are you still there?" forever.
 * Faults are the device's own fault events (note jam, route failed, lost events, ...) and each
 * drop from ready to not ready (timeouts, a line going away). Once `faults` of them fall within
 * `windowMs`, this watch reports not ready with `repeated-<code>`, which the device health reads
 * as `payment:repeated-<code>`: the booth stops taking money and goes out of service. It stays
 * so until staff restart the booth, reload its config (a new watch) or `clear()` it, having looked
 * at the device.
 */
export class PaymentFaultWatch {
  readonly #o: PaymentFaultWatchOptions;
  readonly #cell = new StatusCell<DeviceStatus>({ online: true, ready: true, reasons: [] });
  readonly #seen: { at: number; code: string }[] = [];
  #unsubscribe: Unsubscribe[] = [];
  #wasReady = true;

  constructor(options: PaymentFaultWatchOptions) {
    this.#o = options;
  }

  start(): void {
    const { device } = this.#o;
    this.#wasReady = device.status().ready;
    this.#unsubscribe.push(
      device.onEvent((event) => {
        if (event.type === 'fault') this.#fault(event.code);
      }),
      device.onStatus((status) => {
        if (this.#wasReady && !status.ready && !status.reasons.includes('closed'))
          this.#fault(status.reasons[0] ?? 'not-ready');
        this.#wasReady = status.ready;
      }),
    );
  }

  stop(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  status(): DeviceStatus {
    return this.#cell.get();
  }

  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }

  /** Staff looked at the device and put it right: counting starts again, payment may reopen. */
  clear(): void {
    this.#seen.length = 0;
    this.#cell.set({ online: true, ready: true, reasons: [] });
  }

  /** Faults counted in the window now (for diagnostics). */
  get recentFaults(): number {
    this.#forgetOld();
    return this.#seen.length;
  }

  #fault(code: string): void {
    if (!this.#cell.get().ready) return; // already out: nothing more to decide
    const now = this.#o.clock.now();
    // One incident often shows twice (a jam is a fault event and a drop from ready): count once.
    const last = this.#seen.at(-1);
    if (last && last.code === code && now - last.at < sameIncidentMs) return;
    this.#seen.push({ at: now, code });
    this.#forgetOld();
    if (this.#seen.length < this.#o.faults) return;
    const reason = `repeated-${code}`;
    this.#o.logger.error(
      { faults: this.#seen.map((f) => f.code), windowMs: this.#o.windowMs, reason },
      'payment device keeps faulting: out of service until staff look at it',
    );
    this.#cell.set({ online: true, ready: false, reasons: [reason] });
  }

  #forgetOld(): void {
    const since = this.#o.clock.now() - this.#o.windowMs;
    while (this.#seen.length > 0 && this.#seen[0]!.at <= since) this.#seen.shift();
  }
}
