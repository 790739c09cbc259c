import type { Clock } from '../../core/clock.ts';
import type {
  PhotoPrinter,
  PhotoPrinterStatus,
  PrintJobProgress,
  PrintSheet,
} from '../../hardware/printer/photo-printer-port.ts';
import type { Unsubscribe } from '../../hardware/device-status.ts';

/**
 * A real printer (IPP) inside a simulated-time run: its jobs take real time on the network, so
 * the simulated clock is told to wait for them instead of racing past (the same reason the
 * ccTalk line's exchanges are tracked). Only for printers that do not run on the clock
 * themselves: tracking a simulated printer's job, which waits on the clock, would deadlock.
 */
export class ClockTrackedPrinter implements PhotoPrinter {
  readonly kind: string;

  constructor(
    readonly inner: PhotoPrinter,
    private readonly clock: Clock,
  ) {
    this.kind = inner.kind;
  }

  open(): Promise<void> {
    return this.clock.track(this.inner.open());
  }

  close(): Promise<void> {
    return this.clock.track(this.inner.close());
  }

  status(): PhotoPrinterStatus {
    return this.inner.status();
  }

  onStatus(listener: (status: PhotoPrinterStatus) => void): Unsubscribe {
    return this.inner.onStatus(listener);
  }

  print(sheet: PrintSheet, onProgress?: (progress: PrintJobProgress) => void): Promise<PrintJobProgress> {
    return this.clock.track(this.inner.print(sheet, onProgress));
  }
}
