import { statfsSync } from 'node:fs';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import { StatusCell, type DeviceStatus, type Unsubscribe } from '../../hardware/device-status.ts';

export interface StorageWatchOptions {
  /** The data directory: the journal, the vault and the logs live on its file system. */
  dir: string;
  /** Free space below this is `low`: enough for a session's photos, sheets and journal rows. */
  reserveBytes: number;
  clock: Clock;
}

/** How often free space is read between the checks the flow asks for. */
const everyMs = 30_000;

/**
 * The data directory's file system as a device: not ready (`low`) when less than the reserve
 * is free, so the booth stops taking money before a session's photos or the order's journal
 * rows could fail to be written, and goes out of service as `storage:low` until room is made.
 */
export class StorageWatch {
  readonly #o: StorageWatchOptions;
  readonly #cell = new StatusCell<DeviceStatus>({ online: true, ready: true, reasons: [] });
  #timer: TimerHandle | undefined;

  constructor(options: StorageWatchOptions) {
    this.#o = options;
  }

  start(): void {
    this.#read();
    const tick = () => {
      this.#timer = this.#o.clock.setTimeout(tick, everyMs);
      this.#read();
    };
    this.#timer ??= this.#o.clock.setTimeout(tick, everyMs);
  }

  stop(): void {
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Read afresh each time: the flow asks just before it takes money. */
  status(): DeviceStatus {
    return this.#read();
  }

  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }

  /** Free bytes now (for diagnostics); null when the file system cannot be read. */
  freeBytes(): number | null {
    try {
      return statfsFree(this.#o.dir);
    } catch {
      return null;
    }
  }

  #read(): DeviceStatus {
    const free = this.freeBytes();
    this.#cell.set(
      free === null
        ? { online: false, ready: false, reasons: ['unreadable'] }
        : free < this.#o.reserveBytes
          ? { online: true, ready: false, reasons: ['low'] }
          : { online: true, ready: true, reasons: [] },
    );
    return this.#cell.get();
  }
}

/** Bytes an unprivileged process may still write (bavail, not bfree: root's reserve is not ours). */
function statfsFree(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}
