import { StatusCell, type DeviceStatus, type Unsubscribe } from '../device-status.ts';
import { FaultSet, type FaultInjectable, type SimFault } from './faults.ts';

/**
 * What every simulator shares: fault injection, a status that listeners follow, open and close.
 * A subclass says how its status follows from being open and its faults (`refresh`).
 */
export abstract class SimulatedDevice<S extends DeviceStatus> implements FaultInjectable {
  readonly kind = 'simulated';
  protected readonly faults: FaultSet;
  protected readonly statusCell: StatusCell<S>;
  protected isOpen = false;

  constructor(
    deviceName: string,
    readonly supportedFaults: readonly SimFault[],
    initialStatus: S,
  ) {
    this.faults = new FaultSet(deviceName, supportedFaults, () => this.refresh());
    this.statusCell = new StatusCell(initialStatus);
  }

  get activeFaults(): ReadonlySet<SimFault> {
    return this.faults.active;
  }

  injectFault(fault: SimFault): void {
    this.faults.inject(fault);
  }

  clearFault(fault?: SimFault): void {
    this.faults.clear(fault);
  }

  async open(): Promise<void> {
    this.isOpen = true;
    this.refresh();
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.refresh();
  }

  status(): S {
    return this.statusCell.get();
  }

  onStatus(listener: (status: S) => void): Unsubscribe {
    return this.statusCell.subscribe(listener);
  }

  /** Recomputes the status after a change of faults, media or open state. */
  protected abstract refresh(): void;
}
