import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../core/clock.ts';
import type {
  PhotoPrinterStatus,
  PrintJobProgress,
  PrintSheet,
} from '../../hardware/printer/photo-printer-port.ts';
import {
  SimulatedPhotoPrinter,
  type SimulatedPhotoPrinterOptions,
} from '../../hardware/printer/simulated-photo-printer.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { expectDeviceError, realTime, simulatedTime } from '../contract/device-time.ts';
import { describePhotoPrinterContract, type PhotoPrinterDriver } from '../contract/photo-printer-contract.ts';

function driverFor(printer: SimulatedPhotoPrinter): PhotoPrinterDriver {
  return {
    media: '4x6',
    loadMedia: (prints) => printer.refill(prints),
    printedJobs: () => printer.printed.map((p) => p.jobName),
  };
}

describePhotoPrinterContract('SimulatedPhotoPrinter on simulated time', async () => {
  const clock = new SimClock();
  const device = new SimulatedPhotoPrinter({ clock, seed: 4 });
  return { device, driver: driverFor(device), time: simulatedTime(clock) };
});

describePhotoPrinterContract('SimulatedPhotoPrinter on the system clock', async () => {
  const device = new SimulatedPhotoPrinter({ clock: new SystemClock(), printMs: 2 });
  return { device, driver: driverFor(device), time: realTime() };
});

describe('SimulatedPhotoPrinter', () => {
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await sharp({ create: { width: 40, height: 60, channels: 3, background: '#ffffff' } })
      .jpeg()
      .toBuffer();
  });

  const sheet = (copies = 1, jobName = 'sheet'): PrintSheet => ({
    jobName,
    media: '4x6',
    copies,
    data: jpeg,
  });

  /** An open printer on its own SimClock: 1 s per copy, 30 prints loaded, media-low below 20. */
  async function setUp(options: Partial<SimulatedPhotoPrinterOptions> = {}) {
    const clock = new SimClock();
    const printer = new SimulatedPhotoPrinter({ clock, printMs: 1_000, capacity: 30, lowAt: 20, ...options });
    const time = simulatedTime(clock);
    const statuses: PhotoPrinterStatus[] = [];
    printer.onStatus((s) => statuses.push(s));
    await printer.open();
    /** Starts a job without waiting for it; `job.settled` tells when it is over. */
    const start = (s: PrintSheet) => {
      const progress: PrintJobProgress[] = [];
      const job = { progress, settled: false, error: undefined as unknown };
      printer
        .print(s, (p) => progress.push(p))
        .then(
          () => Object.assign(job, { settled: true }),
          (error: unknown) => Object.assign(job, { settled: true, error }),
        );
      return job;
    };
    return { clock, printer, time, statuses, start };
  }

  describe('media', () => {
    it('counts media down copy by copy while a job runs, and each copy takes printMs', async () => {
      const { clock, printer, time, statuses } = await setUp({ capacity: 30 });
      const t0 = clock.now();
      const progress: PrintJobProgress[] = [];
      await time.settle(printer.print(sheet(3, 'three'), (p) => progress.push(p)));
      expect(clock.now() - t0).toBe(3_000);
      expect(progress.map((p) => p.state)).toEqual(['pending', 'processing', 'completed']);
      expect(statuses.map((s) => s.mediaRemaining)).toEqual([30, 30, 29, 28, 27, 27]);
      expect(statuses.map((s) => s.state)).toEqual([
        'idle',
        'processing',
        'processing',
        'processing',
        'processing',
        'idle',
      ]);
      expect(printer.printed).toEqual([{ jobName: 'three', media: '4x6', copies: 3, bytes: jpeg.length }]);
    });

    it('warns media-low below lowAt while staying ready, and the warning goes with fresh media', async () => {
      const { printer, time } = await setUp({ capacity: 22, lowAt: 20 });
      expect(printer.status()).toMatchObject({ ready: true, reasons: [], mediaRemaining: 22 });
      await time.settle(printer.print(sheet(2)));
      expect(printer.status()).toMatchObject({ ready: true, reasons: [], mediaRemaining: 20 });
      await time.settle(printer.print(sheet(1)));
      expect(printer.status()).toEqual({
        online: true,
        ready: true,
        reasons: ['media-low'],
        state: 'idle',
        mediaRemaining: 19,
      });
      printer.refill();
      expect(printer.status()).toMatchObject({ ready: true, reasons: [], mediaRemaining: 22 });
    });

    it('runs out: media-empty with nothing remaining, not media-low', async () => {
      const { printer, time } = await setUp({ capacity: 2 });
      await time.settle(printer.print(sheet(2)));
      expect(printer.status()).toEqual({
        online: true,
        ready: false,
        reasons: ['media-empty'],
        state: 'stopped',
        mediaRemaining: 0,
      });
    });
  });

  describe('determinism under a seed', () => {
    async function record(seed: number) {
      const { clock, printer, time, statuses } = await setUp({ seed, capacity: 5 });
      const log: unknown[] = [];
      const t0 = clock.now();
      printer.onStatus((s) => log.push([clock.now() - t0, s]));
      for (const copies of [2, 2, 2]) {
        const outcome = await time
          .settle(printer.print(sheet(copies), (p) => log.push([clock.now() - t0, p])))
          .then(
            (p) => p.state,
            (e: { code: string }) => e.code,
          );
        log.push([clock.now() - t0, outcome]);
      }
      return { log, statuses: statuses.length };
    }

    it('the same seed gives the same jobs, statuses and times', async () => {
      const a = await record(9);
      expect(await record(9)).toEqual(a);
      expect(a.log).toContainEqual([6_000, 'media-empty']);
    });
  });

  describe('faults', () => {
    it('supports disconnect, jam, out-of-paper and timeout, and refuses garbage naming what it supports', async () => {
      const { printer } = await setUp();
      expect([...printer.supportedFaults].sort()).toEqual(['disconnect', 'jam', 'out-of-paper', 'timeout']);
      expect(() => printer.injectFault('garbage')).toThrow(/disconnect, jam, out-of-paper, timeout/);
      expect(printer.activeFaults.size).toBe(0);
    });

    it('out-of-paper: media-empty at once, jobs refused; clearing it means fresh media of full capacity', async () => {
      const { printer, time, statuses, clock } = await setUp({ capacity: 30 });
      await time.settle(printer.print(sheet(4)));
      printer.injectFault('out-of-paper');
      const empty = {
        online: true,
        ready: false,
        reasons: ['media-empty'],
        state: 'stopped',
        mediaRemaining: 0,
      };
      expect(printer.status()).toEqual(empty);
      expect(statuses.at(-1)).toEqual(empty);
      const t0 = clock.now();
      await expectDeviceError(printer.print(sheet()), 'photo-printer', 'media-empty');
      expect(clock.now()).toBe(t0);

      printer.clearFault('out-of-paper');
      expect(printer.status()).toEqual({
        online: true,
        ready: true,
        reasons: [],
        state: 'idle',
        mediaRemaining: 30,
      });
      await time.settle(printer.print(sheet()));
      expect(printer.status().mediaRemaining).toBe(29);
    });

    it('out-of-paper is also mended by refill(count), which loads that many prints', async () => {
      const { printer } = await setUp({ capacity: 30 });
      printer.injectFault('out-of-paper');
      printer.refill(25);
      expect(printer.activeFaults.size).toBe(0);
      expect(printer.status()).toMatchObject({ ready: true, reasons: [], mediaRemaining: 25 });
    });

    it('out-of-paper part-way through a job stops it after the copies already out', async () => {
      const { clock, printer, time, start } = await setUp({ capacity: 30 });
      const job = start(sheet(3));
      await clock.advance(1_500); // one copy out, the second under way
      printer.injectFault('out-of-paper');
      await time.until(() => job.settled, 10_000);
      expect(job.error).toMatchObject({ name: 'DeviceError', device: 'photo-printer', code: 'media-empty' });
      expect(job.progress.map((p) => [p.state, p.reasons])).toEqual([
        ['pending', []],
        ['processing', []],
        ['stopped', ['media-empty']],
      ]);
      expect(printer.printed).toEqual([]);
    });

    it('jam: stopped with media-jam and media kept; a jam mid-job stops it; clearing it prints again', async () => {
      const { clock, printer, time, start } = await setUp({ capacity: 30 });
      const job = start(sheet(3, 'jammed'));
      await clock.advance(1_500);
      printer.injectFault('jam');
      expect(printer.status()).toEqual({
        online: true,
        ready: false,
        reasons: ['media-jam'],
        state: 'stopped',
        mediaRemaining: 29,
      });
      await time.until(() => job.settled, 10_000);
      expect(job.error).toMatchObject({ name: 'DeviceError', device: 'photo-printer', code: 'media-jam' });
      expect(job.progress.at(-1)).toMatchObject({ state: 'stopped', reasons: ['media-jam'] });
      // The copy that was in the printer when it jammed is not counted.
      expect(printer.status().mediaRemaining).toBe(29);
      expect(printer.printed).toEqual([]);
      await expectDeviceError(printer.print(sheet()), 'photo-printer', 'media-jam');

      printer.clearFault('jam');
      expect(printer.status()).toEqual({
        online: true,
        ready: true,
        reasons: [],
        state: 'idle',
        mediaRemaining: 29,
      });
      await time.settle(printer.print(sheet(1, 'after-jam')));
      expect(printer.printed.map((p) => p.jobName)).toEqual(['after-jam']);
    });

    it('disconnect: offline and stopped, a job under way stops as offline; reconnecting brings it back', async () => {
      const { clock, printer, time, start } = await setUp();
      const job = start(sheet(2));
      await clock.advance(500);
      printer.injectFault('disconnect');
      expect(printer.status()).toEqual({
        online: false,
        ready: false,
        reasons: ['offline'],
        state: 'stopped',
        mediaRemaining: 30,
      });
      await time.until(() => job.settled, 10_000);
      expect(job.error).toMatchObject({ name: 'DeviceError', code: 'offline' });
      expect(job.progress.at(-1)).toMatchObject({ state: 'stopped', reasons: ['offline'] });
      await expectDeviceError(printer.print(sheet()), 'photo-printer', 'offline');

      printer.clearFault('disconnect');
      expect(printer.status()).toMatchObject({ online: true, ready: true, state: 'idle', reasons: [] });
      await time.settle(printer.print(sheet()));
      expect(printer.printed).toHaveLength(1);
    });

    it('timeout: online but not ready; a job is aborted as timeout after 10x printMs without using media', async () => {
      const { clock, printer, start, time } = await setUp({ printMs: 1_000 });
      printer.injectFault('timeout');
      expect(printer.status()).toEqual({
        online: true,
        ready: false,
        reasons: ['timeout'],
        state: 'idle',
        mediaRemaining: 30,
      });
      const t0 = clock.now();
      const job = start(sheet(2));
      await clock.advance(9_999);
      expect(job.settled).toBe(false);
      await clock.advance(1);
      expect(job.error).toMatchObject({ name: 'DeviceError', device: 'photo-printer', code: 'timeout' });
      expect(clock.now() - t0).toBe(10_000);
      expect(job.progress.map((p) => [p.state, p.reasons])).toEqual([
        ['pending', []],
        ['processing', []],
        ['aborted', ['timeout']],
      ]);
      expect(printer.status().mediaRemaining).toBe(30);

      printer.clearFault('timeout');
      expect(printer.status()).toMatchObject({ ready: true, reasons: [] });
      await time.settle(printer.print(sheet()));
      expect(printer.status().mediaRemaining).toBe(29);
    });

    it('faults add up in the status, and clearFault() with no argument clears them all and loads media', async () => {
      const { printer } = await setUp({ capacity: 30 });
      printer.injectFault('timeout');
      printer.injectFault('out-of-paper');
      printer.injectFault('jam');
      expect(printer.status()).toMatchObject({ ready: false, reasons: ['media-jam', 'timeout'] });
      printer.clearFault('jam');
      expect(printer.status()).toMatchObject({ ready: false, reasons: ['media-empty', 'timeout'] });
      printer.clearFault();
      expect(printer.activeFaults.size).toBe(0);
      expect(printer.status()).toMatchObject({ ready: true, reasons: [], state: 'idle', mediaRemaining: 30 });
    });
  });
});
