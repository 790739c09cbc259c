import { constants, accessSync, statSync, statfsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DeviceError, StatusCell, type Unsubscribe } from '../device-status.ts';
import type { PhotoPrinter, PhotoPrinterStatus, PrintJobProgress, PrintSheet } from './photo-printer-port.ts';
import { checkPrintSheet, jobReporter } from './print-job.ts';
import { memoryMediaCounter, type MediaCounter } from './media-counter.ts';

export interface FolderPhotoPrinterOptions {
  /** The folder sheets are written to. It must exist: the printer never creates it (a missing folder is `offline`). */
  folder: string;
  /** The media this "printer" holds; sheets for other media are refused (`media-unsupported`). Default `4x6`. */
  media?: string;
  /**
   * Sheets loaded when the printer starts, or null when nobody counts them: then `mediaRemaining`
   * is null and only the disk's free space can make it `media-empty`. Default null.
   */
  loadedPrints?: number | null;
  /**
   * Counts the sheets instead of `loadedPrints` and `lowAt`, kept where a restart finds it (the
   * booth's PaperStock). Without it the count is in memory: a restart goes back to `loadedPrints`.
   */
  mediaCounter?: MediaCounter;
  /** Below this much free space (bytes, statfs `bavail * bsize`) the folder is `media-empty`. Default 64 MiB. */
  minFreeBytes?: number;
  /** Below this many sheets left, the status warns `media-low` (still ready). Default 20. */
  lowAt?: number;
  /** How often, while open, the folder and disk are checked again (ms); 0 never. Default 5000. */
  pollMs?: number;
  /** Wall time for file names. Default `() => new Date()`. */
  now?: () => Date;
}

/** One file the printer wrote. */
export interface FolderPrintFile {
  readonly jobId: string;
  readonly copy: number;
  readonly path: string;
}

/**
 * A photo printer that writes sheets to a folder: the demo mode's printer, and the way to feed a
 * printer outside IPP (a vendor's hot folder). It behaves like a printer, so the booth's flow,
 * health and owed-print logic work the same against it.
 *
 * - **One file per copy**, named `<UTC time>-<job counter>-<copy>of<copies>.jpg`
 *   (e.g. `20260105T093000123Z-000042-1of2.jpg`): a hot folder prints every file once, so copies
 *   must be files, and the names carry no personal data (no job name, no customer).
 * - Each file is written atomically: a hidden temp name in the same folder, every byte written and
 *   fsynced, renamed to its name, the folder fsynced. A reader never sees half a sheet. Files are
 *   mode 0600 (sheets are personal data).
 * - Copies are written one by one, like a printer prints them: when the counted media runs out
 *   part-way, the copies already written stay (a printer would have printed them), the job fails
 *   `media-empty` and is not complete. The flow reprints the whole job as owed.
 * - Status: `offline` when closed, or the folder is missing, not a folder or not writable (as
 *   root, permission bits never make a folder unwritable); `media-empty` when the disk has less
 *   than `minFreeBytes` free, or the counted sheets are used up.
 * - The sheet count is the `mediaCounter`'s (the booth's PaperStock keeps it across restarts);
 *   without one it lives in memory: a restart goes back to `loadedPrints`, and `loadMedia` sets it.
 */
export class FolderPhotoPrinter implements PhotoPrinter {
  readonly kind = 'folder';
  /** The last files written, oldest first (at most `keepRecords`; for tests and the operator). */
  readonly written: FolderPrintFile[] = [];
  /**
   * Names of the last jobs that completed, oldest first (at most `keepRecords`): job names are
   * never on disk, and only a few are kept in memory.
   */
  readonly completedJobs: string[] = [];

  readonly #folder: string;
  readonly #media: string;
  readonly #minFreeBytes: number;
  readonly #pollMs: number;
  readonly #now: () => Date;
  readonly #cell: StatusCell<PhotoPrinterStatus>;
  readonly #counter: MediaCounter;
  /** Set when the count is this adapter's own, in memory: `loadMedia` sets it. */
  readonly #ownCounter: ReturnType<typeof memoryMediaCounter> | null;
  #unwatch: (() => void) | undefined;
  #open = false;
  #busy = false;
  #jobs = 0;
  #poll: ReturnType<typeof setInterval> | undefined;

  constructor(options: FolderPhotoPrinterOptions) {
    this.#folder = options.folder;
    this.#media = options.media ?? '4x6';
    this.#ownCounter = options.mediaCounter
      ? null
      : memoryMediaCounter(options.loadedPrints ?? null, options.lowAt ?? 20);
    this.#counter = options.mediaCounter ?? this.#ownCounter!;
    this.#minFreeBytes = options.minFreeBytes ?? 64 * 1024 * 1024;
    this.#pollMs = options.pollMs ?? 5_000;
    this.#now = options.now ?? (() => new Date());
    this.#cell = new StatusCell<PhotoPrinterStatus>({
      online: false,
      ready: false,
      reasons: ['offline'],
      state: 'stopped',
      mediaRemaining: this.#counter.count().remaining,
    });
  }

  get folder(): string {
    return this.#folder;
  }

  async open(): Promise<void> {
    this.#open = true;
    // Media loaded while open: the status says so at once, not at the next poll.
    this.#unwatch ??= this.#counter.onChange(() => this.checkNow());
    if (this.#pollMs > 0 && !this.#poll) {
      this.#poll = setInterval(() => this.checkNow(), this.#pollMs);
      this.#poll.unref();
    }
    this.checkNow();
  }

  async close(): Promise<void> {
    this.#open = false;
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.checkNow();
  }

  status(): PhotoPrinterStatus {
    return this.#cell.get();
  }

  onStatus(listener: (status: PhotoPrinterStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }

  /**
   * An operator loaded media for `sheets` prints (null: no longer counted), where the count is
   * this adapter's own; with a `mediaCounter` the media is loaded there (PaperStock.loadMedia).
   */
  loadMedia(sheets: number | null): void {
    if (!this.#ownCounter)
      throw new RangeError('this folder printer counts through its media counter: load the media there');
    this.#ownCounter.load(sheets);
    this.checkNow();
  }

  /** Looks at the folder and the disk again and updates the status (also done every `pollMs`). */
  checkNow(): PhotoPrinterStatus {
    const count = this.#counter.count();
    const blocking = this.#blockingReason(count);
    const reasons: string[] = blocking ? [blocking] : [];
    if (!count.empty && count.low) reasons.push('media-low');
    const online = this.#open && blocking !== 'offline';
    this.#cell.set({
      online,
      ready: !blocking,
      reasons,
      state: blocking ? 'stopped' : this.#busy ? 'processing' : 'idle',
      mediaRemaining: count.remaining,
    });
    return this.#cell.get();
  }

  async print(sheet: PrintSheet, onProgress?: (p: PrintJobProgress) => void): Promise<PrintJobProgress> {
    const blocking = this.#blockingReason();
    if (blocking) {
      this.checkNow();
      throw new DeviceError('photo-printer', blocking, `the folder printer cannot print: ${blocking}`);
    }
    checkPrintSheet(sheet);
    if (sheet.media !== this.#media) {
      throw new DeviceError(
        'photo-printer',
        'media-unsupported',
        `the folder printer holds ${this.#media} media, not ${sheet.media}`,
      );
    }
    const seq = ++this.#jobs;
    const jobId = `folder-${seq}`;
    const report = jobReporter(jobId, onProgress);
    report('pending');
    this.#busy = true;
    this.checkNow();
    try {
      report('processing');
      const stamp = fileStamp(this.#now());
      for (let copy = 1; copy <= sheet.copies; copy++) {
        const failed = this.#blockingReason();
        if (failed) {
          report('stopped', [failed]);
          throw new DeviceError(
            'photo-printer',
            failed,
            `the job stopped after ${copy - 1} copies: ${failed}`,
          );
        }
        const name = `${stamp}-${String(seq).padStart(6, '0')}-${copy}of${sheet.copies}.jpg`;
        const path = join(this.#folder, name);
        try {
          await writeSheetAtomic(path, sheet.data);
        } catch (error) {
          const code = writeErrorCode(error);
          report(code === 'offline' ? 'aborted' : 'stopped', [code]);
          throw new DeviceError(
            'photo-printer',
            code,
            `could not write ${name}: ${(error as Error).message ?? String(error)}`,
          );
        }
        keepLast(this.written, { jobId, copy, path });
        this.#counter.printed(1);
        this.checkNow();
      }
      keepLast(this.completedJobs, sheet.jobName);
      return report('completed');
    } finally {
      this.#busy = false;
      this.checkNow();
    }
  }

  #blockingReason(count = this.#counter.count()): 'offline' | 'media-empty' | null {
    if (!this.#open) return 'offline';
    try {
      if (!statSync(this.#folder).isDirectory()) return 'offline';
      accessSync(this.#folder, constants.W_OK | constants.X_OK);
    } catch {
      return 'offline';
    }
    if (count.empty) return 'media-empty';
    try {
      const fs = statfsSync(this.#folder);
      if (Number(fs.bavail) * Number(fs.bsize) < this.#minFreeBytes) return 'media-empty';
    } catch {
      return 'offline';
    }
    return null;
  }
}

const keepRecords = 100;

function keepLast<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > keepRecords) list.splice(0, list.length - keepRecords);
}

/** `2026-01-05T09:30:00.123Z` → `20260105T093000123Z`: sorts by time, safe on every file system. */
function fileStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/** Out of space is out of media; anything else about the folder means it is not there for us. */
function writeErrorCode(error: unknown): 'media-empty' | 'offline' {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? 'media-empty' : 'offline';
}

/**
 * Like config/durable-file.ts `writeFileAtomic`, but asynchronous (a sheet is megabytes; the
 * booth's screen must not freeze while it is written). Names are unique (time and job counter).
 */
async function writeSheetAtomic(file: string, data: Buffer): Promise<void> {
  const dir = join(file, '..');
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      for (let done = 0; done < data.length;) {
        const { bytesWritten } = await handle.write(data, done, data.length - done);
        if (bytesWritten <= 0) throw new Error(`short write to ${temp}`);
        done += bytesWritten;
      }
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
