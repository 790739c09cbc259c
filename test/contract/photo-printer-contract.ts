import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  PhotoPrinter,
  PhotoPrinterStatus,
  PrintJobProgress,
  PrintJobState,
  PrintSheet,
} from '../../hardware/printer/photo-printer-port.ts';
import { expectDeviceError, type DeviceTime } from './device-time.ts';

/**
 * What the port cannot do itself: a technician loading media, and looking at what came out.
 * For a simulator these are its own methods; for a real adapter (IPP) they drive the printer
 * emulator (ippeveprinter) or a printer set up for tests.
 */
export interface PhotoPrinterDriver {
  /** The media sheets are printed on, as the printer names it (e.g. `4x6`). */
  readonly media: string;
  /** Loads media good for `prints` prints; this clears `media-empty`. */
  loadMedia(prints: number): void | Promise<void>;
  /** Job names of the jobs that came out of the printer complete, oldest first. */
  printedJobs(): readonly string[];
}

export interface PhotoPrinterFixture {
  /** A fresh, closed printer. */
  readonly device: PhotoPrinter;
  readonly driver: PhotoPrinterDriver;
  readonly time: DeviceTime;
  /** Releases what the factory set up; the suite closes the printer itself. */
  readonly teardown?: () => Promise<void>;
}

const blockingReasons = ['offline', 'media-empty', 'media-jam', 'timeout'];
const jobStateOrder: PrintJobState[] = ['pending', 'processing', 'completed'];

/**
 * The contract every `PhotoPrinter` adapter must meet. Run it with a factory that makes a fresh,
 * closed printer and its driver for every test:
 *
 *     describePhotoPrinterContract('IPP', async () => ({ device, driver: ippeveDriver, time: realTime() }));
 */
export function describePhotoPrinterContract(name: string, create: () => Promise<PhotoPrinterFixture>): void {
  describe(`PhotoPrinter contract: ${name}`, () => {
    let fixture: PhotoPrinterFixture;
    let printer: PhotoPrinter;
    let driver: PhotoPrinterDriver;
    let time: DeviceTime;
    let jpeg: Buffer;
    let jobs = 0;

    beforeAll(async () => {
      jpeg = await sharp({ create: { width: 60, height: 90, channels: 3, background: '#8899aa' } })
        .jpeg()
        .toBuffer();
    });

    beforeEach(async () => {
      fixture = await create();
      ({ device: printer, driver, time } = fixture);
    });

    afterEach(async () => {
      await time.settle(printer.close()).catch(() => {});
      await fixture.teardown?.();
    });

    const sheet = (overrides: Partial<PrintSheet> = {}): PrintSheet => ({
      jobName: `contract-${++jobs}`,
      media: driver.media,
      copies: 1,
      data: jpeg,
      ...overrides,
    });
    async function openWith(prints: number): Promise<void> {
      await driver.loadMedia(prints);
      await time.settle(printer.open());
    }
    const print = (s: PrintSheet, onProgress?: (p: PrintJobProgress) => void) =>
      time.settle(printer.print(s, onProgress));
    /** Prints left, when the printer can tell. */
    const remaining = () => printer.status().mediaRemaining;

    it('names its adapter, and is neither online nor ready before open(), refusing to print as offline', async () => {
      expect(printer.kind).toMatch(/\S/);
      expect(printer.status()).toMatchObject({ online: false, ready: false });
      await driver.loadMedia(10);
      await expectDeviceError(print(sheet()), 'photo-printer', 'offline');
      expect(driver.printedJobs()).toEqual([]);
    });

    it('is online, ready and idle once open with media loaded, with no blocking reason', async () => {
      const seen: PhotoPrinterStatus[] = [];
      printer.onStatus((s) => seen.push(s));
      await openWith(10);
      const status = printer.status();
      expect(status).toMatchObject({ online: true, ready: true, state: 'idle' });
      expect(status.reasons.filter((r) => blockingReasons.includes(r))).toEqual([]);
      expect([10, null]).toContain(status.mediaRemaining);
      expect(seen.at(-1)).toEqual(status);
    });

    it('prints a sheet, reporting the job from pending through processing to completed', async () => {
      await openWith(10);
      const progress: PrintJobProgress[] = [];
      const job = sheet();
      const result = await print(job, (p) => progress.push(p));
      expect(result).toMatchObject({ state: 'completed', jobId: expect.stringMatching(/\S/) });
      expect(progress.at(-1)).toEqual(result);
      expect(new Set(progress.map((p) => p.jobId))).toEqual(new Set([result.jobId]));
      const order = progress.map((p) => jobStateOrder.indexOf(p.state));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(driver.printedJobs()).toEqual([job.jobName]);
      expect(printer.status()).toMatchObject({ online: true, ready: true, state: 'idle' });
    });

    it('shows processing while a job runs and idle again after it', async () => {
      await openWith(10);
      const states: PhotoPrinterStatus['state'][] = [];
      printer.onStatus((s) => states.push(s.state));
      await print(sheet());
      expect(states).toContain('processing');
      expect(states.at(-1)).toBe('idle');
    });

    it('gives every job its own id', async () => {
      await openWith(10);
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await print(sheet())).jobId);
      expect(new Set(ids).size).toBe(3);
    });

    it('counts media down by the copies printed', async () => {
      await openWith(10);
      const job = sheet({ copies: 3 });
      await print(job);
      expect(driver.printedJobs()).toEqual([job.jobName]);
      if (remaining() !== null) expect(remaining()).toBe(7);
      await print(sheet({ copies: 2 }));
      if (remaining() !== null) expect(remaining()).toBe(5);
    });

    it('refuses a sheet that is not a JPEG, printing nothing and staying ready', async () => {
      await openWith(10);
      await expectDeviceError(print(sheet({ data: Buffer.from('%PDF-1.7 not a photo') })), 'photo-printer');
      expect(driver.printedJobs()).toEqual([]);
      expect(printer.status()).toMatchObject({ ready: true, state: 'idle' });
      if (remaining() !== null) expect(remaining()).toBe(10);
    });

    it('refuses copies that are not a whole number of at least one', async () => {
      await openWith(10);
      for (const copies of [0, -1, 1.5]) {
        await expectDeviceError(print(sheet({ copies })), 'photo-printer');
      }
      expect(driver.printedJobs()).toEqual([]);
      if (remaining() !== null) expect(remaining()).toBe(10);
      expect(printer.status().ready).toBe(true);
    });

    it('stops at media-empty when the media runs out, and prints again once media is loaded', async () => {
      await openWith(1);
      await print(sheet());
      const empty = printer.status();
      expect(empty).toMatchObject({ online: true, ready: false, state: 'stopped' });
      expect(empty.reasons).toContain('media-empty');
      if (empty.mediaRemaining !== null) expect(empty.mediaRemaining).toBe(0);
      await expectDeviceError(print(sheet()), 'photo-printer', 'media-empty');
      expect(driver.printedJobs()).toHaveLength(1);

      await driver.loadMedia(2);
      expect(printer.status()).toMatchObject({ online: true, ready: true, state: 'idle' });
      expect(printer.status().reasons).not.toContain('media-empty');
      await print(sheet());
      expect(driver.printedJobs()).toHaveLength(2);
    });

    it('fails a job whose media runs out part-way, saying media-empty, and does not count it as printed', async () => {
      await openWith(1);
      const progress: PrintJobProgress[] = [];
      await expectDeviceError(
        print(sheet({ copies: 2 }), (p) => progress.push(p)),
        'photo-printer',
        'media-empty',
      );
      const last = progress.at(-1)!;
      expect(['stopped', 'aborted']).toContain(last.state);
      expect(last.reasons).toContain('media-empty');
      expect(driver.printedJobs()).toEqual([]);
      expect(printer.status().reasons).toContain('media-empty');
    });

    it('close() takes it offline and refuses jobs as offline; open() brings it back with its media', async () => {
      await openWith(5);
      await print(sheet());
      await time.settle(printer.close());
      expect(printer.status()).toMatchObject({ online: false, ready: false });
      await expectDeviceError(print(sheet()), 'photo-printer', 'offline');

      await time.settle(printer.open());
      expect(printer.status()).toMatchObject({ online: true, ready: true, state: 'idle' });
      if (remaining() !== null) expect(remaining()).toBe(4);
      await print(sheet());
      expect(driver.printedJobs()).toHaveLength(2);
    });

    it('stops telling a status listener once it unsubscribes', async () => {
      const seen: PhotoPrinterStatus[] = [];
      const unsubscribe = printer.onStatus((s) => seen.push(s));
      await openWith(5);
      unsubscribe();
      const heard = seen.length;
      expect(heard).toBeGreaterThan(0);
      await print(sheet());
      await time.settle(printer.close());
      expect(seen).toHaveLength(heard);
    });
  });
}
