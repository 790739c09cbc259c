/**
 * The booth's photo printer over IPP: a CUPS queue for a dye-sub printer, or any IPP Everywhere
 * printer. Built on the hand-written `IppClient` (five operations; see its header for why).
 *
 * - **Status** comes from Get-Printer-Attributes, read at `open()` and every `pollMs`, before
 *   every job and after it. `printer-state-reasons` lose their RFC 8011 severity suffix
 *   (`-report`, `-warning`, `-error`) and map onto the port's reasons; `printer-state: stopped`
 *   without a reason that explains it is `paused`; a printer that does not answer is `offline`.
 *   Blocking (not ready): offline, paused, media-empty, media-jam, marker-supply-empty, and a few
 *   door/tray faults. Warnings (still ready): media-low, marker-supply-low.
 * - **Prints left** (`mediaRemaining`): IPP has no standard count of prints left. `marker-levels`
 *   and `printer-supply` are percentages, and `printer-input-tray`'s `level` is -2/-3
 *   ("unknown"/"some") on most printers, so none of them is used as a count. The count is:
 *   a vendor attribute the printer (or a CUPS backend) reports as a whole number, when
 *   `remainingAttribute` names it; else the `mediaCounter`'s count (the booth's PaperStock, kept
 *   across restarts, set when an operator loads media), told the copies of every completed job;
 *   without one, the configured `loadedPrints` counted down in memory and reset by `loadMedia()`;
 *   else null. A counted 0 is `media-empty`, fewer than `lowAt` (the counter's own threshold
 *   when there is one) is `media-low`.
 * - **Jobs**: Print-Job (`image/jpeg`, copies, PWG media name), then Get-Job-Attributes every
 *   `jobPollMs` until the job ends. `completed` resolves; `aborted`, `canceled` and
 *   `processing-stopped` reject with a DeviceError whose code is the cause named by the job's or
 *   the printer's reasons (`media-empty`, `media-jam`, ...), else `job-aborted`/`job-canceled`/
 *   `job-stopped`. A stopped job, and one that is still running at `jobTimeoutMs` (`timeout`), is
 *   cancelled so it cannot come out later, after the booth has owed and reprinted it.
 * - **Resume**: when the printer is stopped/paused after a blocking reason was seen and that
 *   reason has cleared, the adapter sends Resume-Printer once. Printers may refuse it (CUPS
 *   without operator rights; ippeveprinter does not implement it): the outcome is kept in
 *   `lastResume`, and a refusal shows as the reason `resume-refused` while the printer stays
 *   paused, for the operator.
 */
import { DeviceError, StatusCell, type Unsubscribe } from '../device-status.ts';
import { memoryMediaCounter, type MediaCounter } from './media-counter.ts';
import { IppClient, type IppJobState } from './ipp/ipp-client.ts';
import { IppError } from './ipp/ipp-error.ts';
import type { PlainAttributes } from './ipp/ipp-plain.ts';
import {
  firstBlocking,
  firstKnownCause,
  ippMediaNames,
  isBlocking,
  portReason,
  printerReasons,
  progressState,
} from './ipp/ipp-printer-vocabulary.ts';

export { ippMediaNames, portReason } from './ipp/ipp-printer-vocabulary.ts';
import { checkPrintSheet } from './print-job.ts';
import type {
  PhotoPrinter,
  PhotoPrinterStatus,
  PrintJobProgress,
  PrintJobState,
  PrintSheet,
} from './photo-printer-port.ts';

export interface IppPhotoPrinterOptions {
  /** ipp://, ipps://, http(s):// URL of the printer or CUPS queue. */
  readonly url: string;
  /** How often, while open, the printer's status is read again (ms); 0 never. Default 5000. */
  readonly pollMs?: number;
  /** How often a running job is asked about (ms). Default 1000. */
  readonly jobPollMs?: number;
  /** A job not ended after this long is cancelled and fails `timeout` (ms). Default 5 minutes. */
  readonly jobTimeoutMs?: number;
  /** Per IPP request (ms). Default 10000. */
  readonly requestTimeoutMs?: number;
  /** Prints the loaded media is good for, counted down per copy; null or absent: not counted. */
  readonly loadedPrints?: number | null;
  /** Counts the prints left instead of `loadedPrints` and `lowAt`, kept across restarts (PaperStock). */
  readonly mediaCounter?: MediaCounter;
  /** A printer attribute holding the prints left as a whole number (vendor or CUPS backend). */
  readonly remainingAttribute?: string;
  /** Below this many prints left the status warns `media-low`. Default 20. */
  readonly lowAt?: number;
  /** A client to use instead of one made from `url` (tests). */
  readonly client?: IppClient;
}

/** What the last Resume-Printer got. */
export interface ResumeOutcome {
  readonly at: Date;
  readonly ok: boolean;
  readonly statusName: string;
  readonly message: string | null;
}

const requested = [
  'printer-state',
  'printer-state-reasons',
  'printer-is-accepting-jobs',
  'marker-levels',
  'marker-names',
  'media-ready',
];

const endStates = new Set<IppJobState>(['completed', 'aborted', 'canceled', 'processing-stopped']);

export class IppPhotoPrinter implements PhotoPrinter {
  readonly kind = 'ipp';
  readonly #client: IppClient;
  readonly #pollMs: number;
  readonly #jobPollMs: number;
  readonly #jobTimeoutMs: number;
  readonly #remainingAttribute: string | undefined;
  readonly #lowAt: number;
  readonly #cell: StatusCell<PhotoPrinterStatus>;
  readonly #counter: MediaCounter;
  /** Set when the count is this adapter's own, in memory: `loadMedia` sets it. */
  readonly #ownCounter: ReturnType<typeof memoryMediaCounter> | null;
  #unwatch: (() => void) | undefined;
  #open = false;
  #busy = false;
  #attributes: PlainAttributes | null = null;
  #poll: ReturnType<typeof setInterval> | undefined;
  /** Blocking reasons seen while the printer was stopped, to know when they have cleared. */
  #stoppedFor = new Set<string>();
  #resumeTried = false;
  #lastResume: ResumeOutcome | null = null;

  constructor(options: IppPhotoPrinterOptions) {
    this.#client =
      options.client ?? new IppClient(options.url, { timeoutMs: options.requestTimeoutMs ?? 10_000 });
    this.#pollMs = options.pollMs ?? 5_000;
    this.#jobPollMs = options.jobPollMs ?? 1_000;
    this.#jobTimeoutMs = options.jobTimeoutMs ?? 5 * 60_000;
    this.#remainingAttribute = options.remainingAttribute;
    this.#lowAt = options.lowAt ?? 20;
    this.#ownCounter = options.mediaCounter
      ? null
      : memoryMediaCounter(options.loadedPrints ?? null, this.#lowAt);
    this.#counter = options.mediaCounter ?? this.#ownCounter!;
    this.#cell = new StatusCell<PhotoPrinterStatus>(this.#compute());
  }

  /** The printer-uri jobs are sent to. */
  get printerUri(): string {
    return this.#client.printerUri;
  }

  /** What the last Resume-Printer got, or null when none was sent. */
  get lastResume(): ResumeOutcome | null {
    return this.#lastResume;
  }

  /** The printer attributes last read, or null when the printer did not answer. */
  get attributes(): PlainAttributes | null {
    return this.#attributes;
  }

  async open(): Promise<void> {
    this.#open = true;
    // Media loaded while open: the status says so at once, not at the next poll.
    this.#unwatch ??= this.#counter.onChange(() => {
      this.#update();
      if (this.#open) this.refresh().catch(() => {});
    });
    await this.refresh();
    if (this.#pollMs > 0 && !this.#poll && this.#open) {
      // refresh() turns an unreachable printer into its status; nothing else is left to report.
      this.#poll = setInterval(() => {
        this.refresh().catch(() => {});
      }, this.#pollMs);
      this.#poll.unref();
    }
  }

  async close(): Promise<void> {
    this.#open = false;
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#update();
  }

  status(): PhotoPrinterStatus {
    return this.#cell.get();
  }

  onStatus(listener: (status: PhotoPrinterStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }

  /**
   * An operator loaded media good for `prints` prints (null: no longer counted), where the count
   * is this adapter's own; with a `mediaCounter` the media is loaded there (PaperStock.loadMedia).
   */
  loadMedia(prints: number | null): void {
    if (!this.#ownCounter)
      throw new RangeError('this IPP printer counts through its media counter: load the media there');
    this.#ownCounter.load(prints);
    if (!this.#unwatch) this.#update(); // while open, the counter's listener did it
  }

  /** Reads the printer's status now (also done every `pollMs` while open); never throws. */
  async refresh(): Promise<PhotoPrinterStatus> {
    if (!this.#open) return this.#update();
    try {
      this.#attributes = await this.#client.getPrinterAttributes(
        this.#remainingAttribute ? [...requested, this.#remainingAttribute] : requested,
      );
    } catch {
      this.#attributes = null;
    }
    if (!this.#open) return this.#update();
    this.#update();
    await this.#resumeIfCleared();
    return this.#cell.get();
  }

  async print(
    sheet: PrintSheet,
    onProgress?: (progress: PrintJobProgress) => void,
  ): Promise<PrintJobProgress> {
    if (!this.#open) throw new DeviceError('photo-printer', 'offline', 'the photo printer is not open');
    checkPrintSheet(sheet);
    const media =
      (ippMediaNames as Readonly<Record<string, string>>)[sheet.media] ??
      (sheet.media.includes('_') ? sheet.media : undefined);
    if (!media) {
      throw new DeviceError('photo-printer', 'media-unsupported', `no IPP media name for "${sheet.media}"`);
    }
    const before = await this.refresh();
    const blocking = firstBlocking(before.reasons);
    if (blocking) throw new DeviceError('photo-printer', blocking, `the printer cannot print: ${blocking}`);

    this.#busy = true;
    this.#update();
    let jobId = '';
    let last: PrintJobProgress | null = null;
    const report = (state: PrintJobState, reasons: readonly string[] = []): PrintJobProgress => {
      const progress = { jobId, state, reasons };
      if (!last || last.state !== state || String(last.reasons) !== String(reasons)) onProgress?.(progress);
      last = progress;
      return progress;
    };
    try {
      let job;
      try {
        job = await this.#client.printJob({
          jobName: sheet.jobName,
          document: sheet.data,
          format: 'image/jpeg',
          copies: sheet.copies,
          media,
        });
      } catch (error) {
        throw this.#requestError(error, 'Print-Job');
      }
      jobId = String(job.jobId);
      let state: IppJobState = job.jobState;
      let reasons: readonly string[] = [];
      report(progressState(state));
      const deadline = Date.now() + this.#jobTimeoutMs;
      let lastError: unknown = null;
      while (!endStates.has(state)) {
        if (Date.now() > deadline) {
          await this.#cancel(job.jobId);
          await this.refresh();
          report('aborted', ['timeout']);
          const offline = lastError instanceof IppError && lastError.code === 'unreachable';
          throw new DeviceError(
            'photo-printer',
            offline ? 'offline' : 'timeout',
            `job ${jobId} did not end within ${this.#jobTimeoutMs} ms (last state ${state})`,
          );
        }
        await sleep(this.#jobPollMs);
        try {
          ({ jobState: state, reasons } = await this.#client.getJobAttributes(job.jobId));
          lastError = null;
          report(progressState(state), reasons.map(portReason));
        } catch (error) {
          lastError = error; // a printer that does not answer for a moment: ask again until the deadline
        }
      }
      if (state === 'completed') {
        this.#counter.printed(sheet.copies);
        return report('completed', []);
      }
      if (state === 'processing-stopped') await this.#cancel(job.jobId);
      const after = await this.refresh();
      const jobReasons = reasons.map(portReason);
      const cause =
        firstKnownCause(jobReasons) ??
        firstKnownCause(after.reasons) ??
        (state === 'aborted' ? 'job-aborted' : state === 'canceled' ? 'job-canceled' : 'job-stopped');
      if (cause === 'media-empty') this.#counter.ranOut();
      report(progressState(state), [...new Set([...jobReasons, cause])]);
      throw new DeviceError('photo-printer', cause, `job ${jobId} ended ${state}: ${cause}`);
    } finally {
      this.#busy = false;
      if (this.#open) await this.refresh();
      else this.#update();
    }
  }

  #requestError(error: unknown, operation: string): DeviceError {
    if (error instanceof IppError) {
      if (error.code === 'unreachable') {
        this.#attributes = null;
        return new DeviceError('photo-printer', 'offline', `${operation}: ${error.message}`);
      }
      if (error.code === 'refused' && (error.status === 0x040a || error.status === 0x0411)) {
        return new DeviceError('photo-printer', 'document-format-error', `${operation}: ${error.message}`);
      }
      return new DeviceError('photo-printer', error.code, `${operation}: ${error.message}`);
    }
    return new DeviceError('photo-printer', 'ipp-error', `${operation}: ${String(error)}`);
  }

  async #cancel(jobId: number): Promise<void> {
    await this.#client.cancelJob(jobId).catch(() => {});
  }

  async #resumeIfCleared(): Promise<void> {
    const attributes = this.#attributes;
    if (!attributes) return;
    const reasons = printerReasons(attributes);
    const stopped = attributes['printer-state'] === 'stopped' || reasons.includes('paused');
    const causes = reasons.filter((r) => isBlocking(r) && r !== 'paused' && r !== 'offline');
    if (!stopped) {
      this.#stoppedFor.clear();
      this.#resumeTried = false;
      return;
    }
    for (const cause of causes) this.#stoppedFor.add(cause);
    if (causes.length > 0 || this.#stoppedFor.size === 0 || this.#resumeTried) return;
    // Stopped for a reason that has cleared: the queue would stay paused until someone resumes it.
    this.#resumeTried = true;
    try {
      const outcome = await this.#client.resumePrinter();
      this.#lastResume = {
        at: new Date(),
        ok: outcome.ok,
        statusName: outcome.statusName,
        message: outcome.message,
      };
    } catch (error) {
      this.#lastResume = { at: new Date(), ok: false, statusName: 'no-answer', message: String(error) };
    }
    if (this.#lastResume.ok) {
      this.#stoppedFor.clear();
      try {
        this.#attributes = await this.#client.getPrinterAttributes(requested);
      } catch {
        this.#attributes = null;
      }
    }
    this.#update();
  }

  #update(): PhotoPrinterStatus {
    this.#cell.set(this.#compute());
    return this.#cell.get();
  }

  #compute(): PhotoPrinterStatus {
    const attributes = this.#open ? this.#attributes : null;
    const reasons: string[] = [];
    const add = (reason: string) => {
      if (!reasons.includes(reason)) reasons.push(reason);
    };
    if (!attributes) add('offline');
    else {
      for (const reason of printerReasons(attributes)) add(reason);
      if (attributes['printer-state'] === 'stopped' && !reasons.some(isBlocking)) add('paused');
      if (reasons.includes('paused') && this.#lastResume && !this.#lastResume.ok && this.#resumeTried)
        add('resume-refused');
    }
    const { remaining, low, empty } = this.#mediaCount(attributes);
    if (empty) add('media-empty');
    else if (low) add('media-low');
    const blocked = reasons.some(isBlocking);
    const online = attributes !== null;
    return {
      online,
      ready: online && !blocked,
      reasons,
      state: blocked
        ? 'stopped'
        : this.#busy || attributes?.['printer-state'] === 'processing'
          ? 'processing'
          : 'idle',
      mediaRemaining: remaining,
    };
  }

  /** The printer's own count when it reports one, else the counter's. */
  #mediaCount(attributes: PlainAttributes | null): {
    remaining: number | null;
    low: boolean;
    empty: boolean;
  } {
    if (this.#remainingAttribute && attributes) {
      const reported = attributes[this.#remainingAttribute];
      if (typeof reported === 'number' && Number.isInteger(reported) && reported >= 0)
        return { remaining: reported, low: reported > 0 && reported < this.#lowAt, empty: reported <= 0 };
    }
    return this.#counter.count();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
