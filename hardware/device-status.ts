import { BoothError, type DeviceCodes, type DeviceKind } from '../core/errors.ts';

/** What every device port reports about itself, whatever the device. */
export interface DeviceStatus {
  /** The device answers (cable in, powered, driver loaded). */
  readonly online: boolean;
  /** The device can do its job right now (online and no blocking reason). */
  readonly ready: boolean;
  /** Machine-readable reasons, e.g. `media-empty`, `disconnected`, `timeout`. Empty when all is well. */
  readonly reasons: readonly string[];
}

export type Unsubscribe = () => void;

/** Holds a device's current status and tells listeners when it changes. */
export class StatusCell<S extends DeviceStatus> {
  #status: S;
  #listeners = new Set<(status: S) => void>();

  constructor(initial: S) {
    this.#status = initial;
  }

  get(): S {
    return this.#status;
  }

  set(next: S): void {
    if (sameStatus(this.#status, next)) return;
    this.#status = next;
    for (const listener of [...this.#listeners]) listener(next);
  }

  subscribe(listener: (status: S) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * Resolves true once `device` is ready (at once when it is), false when it is not within `ms`.
 * Real time: for tools and benchmarks that wait on a device (the booth's flow has its own checks).
 */
export function untilReady(
  device: { status(): DeviceStatus; onStatus(listener: (status: DeviceStatus) => void): Unsubscribe },
  ms: number,
): Promise<boolean> {
  if (device.status().ready) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, ms);
    const off = device.onStatus((status) => {
      if (!status.ready) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}

function sameStatus(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A typed error a device adapter throws, so the flow can name the failure without parsing text.
 * Its code is one the registry (core/errors.ts) names for that kind of device. Status reasons
 * (`DeviceStatus.reasons`) stay open-ended strings: they describe, they are not thrown.
 */
export class DeviceError<D extends DeviceKind = DeviceKind> extends BoothError<DeviceCodes[D]> {
  constructor(
    readonly device: D,
    code: DeviceCodes[D],
    message: string,
  ) {
    super(code, message);
    this.name = 'DeviceError';
  }

  /** Whether `error` is a DeviceError of `device`. */
  static of<K extends DeviceKind>(error: unknown, device: K): error is DeviceError<K> {
    return error instanceof DeviceError && error.device === device;
  }
}
