import { StatusCell, type DeviceStatus, type Unsubscribe } from '../../hardware/device-status.ts';
import type { EndOfServiceView } from '../services/outbox/outbox-api.ts';

/**
 * The booth's end of service as a health source: ready through the notice period (the booth
 * still serves, and the screen says when it closes), not ready from `closed` on (reason `closed`,
 * then `decommissioned`), so the booth takes no money while owed work is settled and the vault
 * destroyed, and never again after.
 *
 * The view is read from the decommission's state file only on `refresh` (the decommission calls
 * it at each step it writes, the host once it opens one): the screen's snapshot asks for it on
 * every change of the flow, live-view frames included, which must not read a file each time.
 */
export class EndOfServiceWatch {
  readonly #read: () => EndOfServiceView | null;
  readonly #cell = new StatusCell<DeviceStatus>({ online: true, ready: true, reasons: [] });
  #view: EndOfServiceView | null = null;

  constructor(read: () => EndOfServiceView | null) {
    this.#read = read;
  }

  /** The end of service as last read (null: none under way). */
  view(): EndOfServiceView | null {
    return this.#view;
  }

  status(): DeviceStatus {
    return this.#cell.get();
  }

  /** Reads the end of service again and tells listeners when its status changed. */
  refresh(): DeviceStatus {
    const view = this.#read();
    this.#view = view && view.phase !== 'in-service' ? view : null;
    const status: DeviceStatus =
      this.#view && !this.#view.takesMoney
        ? {
            online: true,
            ready: false,
            reasons: [this.#view.phase === 'decommissioned' ? 'decommissioned' : 'closed'],
          }
        : { online: true, ready: true, reasons: [] };
    this.#cell.set(status);
    return status;
  }

  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }
}
