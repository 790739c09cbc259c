import type { Clock } from '../../core/clock.ts';
import { DeviceError } from '../device-status.ts';
import { SimulatedDevice } from '../sim/simulated-device.ts';
import { addToPaperTrail } from '../sim/paper-trail.ts';
import type {
  CashReportSlip,
  Receipt,
  ReceiptPrinter,
  ReceiptPrinterStatus,
  VoucherSlip,
} from './receipt-printer-port.ts';

export interface SimulatedReceiptPrinterOptions {
  clock: Clock;
  seed?: number;
  printMs?: number;
}

/** A thermal receipt printer that keeps what it printed last (receipts, vouchers, cash reports, in order). */
export class SimulatedReceiptPrinter extends SimulatedDevice<ReceiptPrinterStatus> implements ReceiptPrinter {
  readonly printed: Receipt[] = [];
  readonly vouchers: VoucherSlip[] = [];
  readonly cashReports: CashReportSlip[] = [];
  readonly #o: Required<Omit<SimulatedReceiptPrinterOptions, 'seed'>>;

  constructor(options: SimulatedReceiptPrinterOptions) {
    super('receipt printer', ['disconnect', 'jam', 'out-of-paper', 'timeout'], {
      online: false,
      ready: false,
      reasons: ['offline'],
    });
    this.#o = { printMs: 1_500, ...options };
  }

  async printReceipt(receipt: Receipt): Promise<void> {
    await this.#printOut();
    addToPaperTrail(this.printed, receipt);
  }

  async printVoucher(voucher: VoucherSlip): Promise<void> {
    await this.#printOut();
    addToPaperTrail(this.vouchers, voucher);
  }

  async printCashReport(report: CashReportSlip): Promise<void> {
    await this.#printOut();
    addToPaperTrail(this.cashReports, report);
  }

  /** Resolves once a slip came out; rejects as the fault in place says. */
  async #printOut(): Promise<void> {
    const blocking = this.#blockingReason();
    if (blocking)
      throw new DeviceError('receipt-printer', blocking, `the receipt printer cannot print: ${blocking}`);
    if (this.faults.has('timeout')) {
      await this.#o.clock.sleep(this.#o.printMs * 10);
      throw new DeviceError('receipt-printer', 'timeout', 'the receipt printer did not answer');
    }
    await this.#o.clock.sleep(this.#o.printMs);
    const failed = this.#blockingReason();
    if (failed) throw new DeviceError('receipt-printer', failed, `the receipt did not come out: ${failed}`);
  }

  #blockingReason(): 'offline' | 'media-jam' | 'media-empty' | null {
    if (!this.isOpen || this.faults.has('disconnect')) return 'offline';
    if (this.faults.has('jam')) return 'media-jam';
    if (this.faults.has('out-of-paper')) return 'media-empty';
    return null;
  }

  protected refresh(): void {
    const blocking = this.#blockingReason();
    const reasons = [...(blocking ? [blocking] : []), ...(this.faults.has('timeout') ? ['timeout'] : [])];
    this.statusCell.set({
      online: this.isOpen && !this.faults.has('disconnect'),
      ready: reasons.length === 0,
      reasons,
    });
  }
}
