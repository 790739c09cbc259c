import type { Clock } from '../clock.ts';
import { DeviceError, StatusCell, type Unsubscribe } from '../device-status.ts';
import { FaultSet, type FaultInjectable, type SimFault } from '../sim/faults.ts';
import type { Receipt, ReceiptPrinter, ReceiptPrinterStatus } from './receipt-printer-port.ts';

export interface SimulatedReceiptPrinterOptions {
  clock: Clock;
  seed?: number;
  printMs?: number;
}

/** A thermal receipt printer that keeps what it printed. */
export class SimulatedReceiptPrinter implements ReceiptPrinter, FaultInjectable {
  readonly kind = 'simulated';
  readonly supportedFaults: readonly SimFault[] = ['disconnect', 'jam', 'out-of-paper', 'timeout'];
  readonly printed: Receipt[] = [];
  readonly #o: Required<Omit<SimulatedReceiptPrinterOptions, 'seed'>>;
  readonly #faults: FaultSet;
  readonly #status = new StatusCell<ReceiptPrinterStatus>({
    online: false,
    ready: false,
    reasons: ['offline'],
  });
  #open = false;

  constructor(options: SimulatedReceiptPrinterOptions) {
    this.#o = { printMs: 1_500, ...options };
    this.#faults = new FaultSet('receipt printer', this.supportedFaults, () => this.#refresh());
  }

  get activeFaults(): ReadonlySet<SimFault> {
    return this.#faults.active;
  }
  injectFault(fault: SimFault): void {
    this.#faults.inject(fault);
  }
  clearFault(fault?: SimFault): void {
    this.#faults.clear(fault);
  }

  async open(): Promise<void> {
    this.#open = true;
    this.#refresh();
  }

  async close(): Promise<void> {
    this.#open = false;
    this.#refresh();
  }

  status(): ReceiptPrinterStatus {
    return this.#status.get();
  }

  onStatus(listener: (status: ReceiptPrinterStatus) => void): Unsubscribe {
    return this.#status.subscribe(listener);
  }

  async printReceipt(receipt: Receipt): Promise<void> {
    const blocking = this.#blockingReason();
    if (blocking)
      throw new DeviceError('receipt-printer', blocking, `the receipt printer cannot print: ${blocking}`);
    if (this.#faults.has('timeout')) {
      await this.#o.clock.sleep(this.#o.printMs * 10);
      throw new DeviceError('receipt-printer', 'timeout', 'the receipt printer did not answer');
    }
    await this.#o.clock.sleep(this.#o.printMs);
    const failed = this.#blockingReason();
    if (failed) throw new DeviceError('receipt-printer', failed, `the receipt did not come out: ${failed}`);
    this.printed.push(receipt);
  }

  #blockingReason(): string | null {
    if (!this.#open || this.#faults.has('disconnect')) return 'offline';
    if (this.#faults.has('jam')) return 'media-jam';
    if (this.#faults.has('out-of-paper')) return 'media-empty';
    return null;
  }

  #refresh(): void {
    const blocking = this.#blockingReason();
    const reasons = [...(blocking ? [blocking] : []), ...(this.#faults.has('timeout') ? ['timeout'] : [])];
    this.#status.set({
      online: this.#open && !this.#faults.has('disconnect'),
      ready: reasons.length === 0,
      reasons,
    });
  }
}
