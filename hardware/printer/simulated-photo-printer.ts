import type { Clock } from '../../core/clock.ts';
import { DeviceError } from '../device-status.ts';
import type { SimFault } from '../sim/faults.ts';
import { SimulatedDevice } from '../sim/simulated-device.ts';
import type { PhotoPrinter, PhotoPrinterStatus, PrintJobProgress, PrintSheet } from './photo-printer-port.ts';
import { addToPaperTrail } from '../sim/paper-trail.ts';
import { checkPrintSheet, jobReporter } from './print-job.ts';

export interface SimulatedPhotoPrinterOptions {
  clock: Clock;
  seed?: number;
  media?: string;
  /** Prints the loaded media holds. */
  capacity?: number;
  /** Time to print one copy. */
  printMs?: number;
  /** Below this many prints left, the printer warns `media-low` (still ready). */
  lowAt?: number;
}

/** A dye-sub photo printer: prints take time, media runs out, paper jams. */
export class SimulatedPhotoPrinter extends SimulatedDevice<PhotoPrinterStatus> implements PhotoPrinter {
  /** What came out of the printer. */
  readonly printed: { jobName: string; media: string; copies: number; bytes: number }[] = [];
  readonly #o: Required<Omit<SimulatedPhotoPrinterOptions, 'seed'>>;
  #remaining: number;
  #busy = false;
  #jobs = 0;

  constructor(options: SimulatedPhotoPrinterOptions) {
    const o = { media: '4x6', capacity: 400, printMs: 8_000, lowAt: 20, ...options };
    super('photo printer', ['disconnect', 'jam', 'out-of-paper', 'timeout'], {
      online: false,
      ready: false,
      reasons: ['offline'],
      state: 'stopped',
      mediaRemaining: o.capacity,
    });
    this.#o = o;
    this.#remaining = o.capacity;
  }

  override injectFault(fault: SimFault): void {
    if (fault === 'out-of-paper') this.#remaining = 0;
    super.injectFault(fault);
  }

  /** Clearing out-of-paper means a technician loaded fresh media. */
  override clearFault(fault?: SimFault): void {
    if ((!fault || fault === 'out-of-paper') && this.faults.has('out-of-paper'))
      this.#remaining = this.#o.capacity;
    super.clearFault(fault);
  }

  /** Loads media for `count` prints. */
  refill(count = this.#o.capacity): void {
    this.#remaining = count;
    this.faults.clear('out-of-paper');
  }

  async print(sheet: PrintSheet, onProgress?: (p: PrintJobProgress) => void): Promise<PrintJobProgress> {
    const blocking = this.#blockingReason();
    if (blocking) throw new DeviceError('photo-printer', blocking, `the printer cannot print: ${blocking}`);
    checkPrintSheet(sheet);
    const jobId = `job-${++this.#jobs}`;
    const report = jobReporter(jobId, onProgress);
    report('pending');
    this.#busy = true;
    this.refresh();
    try {
      report('processing');
      for (let copy = 0; copy < sheet.copies; copy++) {
        if (this.faults.has('timeout')) {
          await this.#o.clock.sleep(this.#o.printMs * 10);
          report('aborted', ['timeout']);
          throw new DeviceError('photo-printer', 'timeout', 'the printer stopped answering during the job');
        }
        await this.#o.clock.sleep(this.#o.printMs);
        const failed = this.#blockingReason();
        if (failed) {
          report('stopped', [failed]);
          throw new DeviceError('photo-printer', failed, `the job stopped: ${failed}`);
        }
        this.#remaining--;
        this.refresh();
      }
      addToPaperTrail(this.printed, {
        jobName: sheet.jobName,
        media: sheet.media,
        copies: sheet.copies,
        bytes: sheet.data.length,
      });
      return report('completed');
    } finally {
      this.#busy = false;
      this.refresh();
    }
  }

  #blockingReason(): 'offline' | 'media-jam' | 'media-empty' | null {
    if (!this.isOpen || this.faults.has('disconnect')) return 'offline';
    if (this.faults.has('jam')) return 'media-jam';
    if (this.#remaining <= 0) return 'media-empty';
    return null;
  }

  protected refresh(): void {
    const reasons: string[] = [];
    const blocking = this.#blockingReason();
    if (blocking) reasons.push(blocking);
    if (this.faults.has('timeout')) reasons.push('timeout');
    if (this.#remaining > 0 && this.#remaining < this.#o.lowAt) reasons.push('media-low');
    const online = this.isOpen && !this.faults.has('disconnect');
    this.statusCell.set({
      online,
      ready: !blocking && !this.faults.has('timeout'),
      reasons,
      state: blocking ? 'stopped' : this.#busy ? 'processing' : 'idle',
      mediaRemaining: this.#remaining,
    });
  }
}
