import { StatusCell, type DeviceStatus, type Unsubscribe } from '../../hardware/device-status.ts';
import type { EndOfServiceView } from '../services/outbox/outbox-api.ts';

/**
 * The booth's end of service as a health source: ready through the notice period (the booth
 * still serves, and the screen says when it closes), not ready from `closed` on (reason `closed`,
 * then `decommissioned`), so the booth takes no money while owed work is settled and the vault
 * destroyed, and never again after. The decommission tells it at each step it writes (`refresh`).
 */
export class EndOfServiceWatch {
  readonly #view: () => EndOfServiceView | null;
  readonly #cell = new StatusCell<DeviceStatus>({ online: true, ready: true, reasons: [] });

  constructor(view: () => EndOfServiceView | null) {
    this.#view = view;
  }

  /** The end of service as it stands now (null: none under way). */
  view(): EndOfServiceView | null {
    const view = this.#view();
    return view && view.phase !== 'in-service' ? view : null;
  }

  status(): DeviceStatus {
    return this.refresh();
  }

  /** Reads the end of service again and tells listeners when it changed. */
  refresh(): DeviceStatus {
    const view = this.view();
    const status: DeviceStatus =
      view && !view.takesMoney
        ? {
            online: true,
            ready: false,
            reasons: [view.phase === 'decommissioned' ? 'decommissioned' : 'closed'],
          }
        : { online: true, ready: true, reasons: [] };
    this.#cell.set(status);
    return status;
  }

  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }
}
