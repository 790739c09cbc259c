import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startIppEverywherePrinter,
  type IppEverywherePrinter,
} from '../hardware/ipp/ipp-everywhere-printer.ts';
import { runKiosk } from '../support/run-kiosk.ts';

const kiosk = (args: string[]) => runKiosk(args);

describe('kiosk print-test', () => {
  let printer: IppEverywherePrinter;
  beforeAll(async () => {
    printer = await startIppEverywherePrinter({ name: 'CLI Printer' });
  });
  afterAll(async () => {
    await printer?.stop();
  });

  it('prints a 4x6 calibration sheet at 300 dpi and reports the completed job and the status as JSON', async () => {
    await printer.setJobScript('echo "STATE: +marker-supply-low" >&2\n');
    const { code, stdout, stderr } = await kiosk(['print-test', '--printer', printer.url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout.trim());
    expect(report).toMatchObject({
      printer: printer.url,
      media: '4x6',
      ippMedia: 'na_index-4x6_4x6in',
      sheet: { width: 1200, height: 1800, dpi: 300 },
      job: { outcome: 'completed', state: 'completed' },
      status: { online: true, ready: true, state: 'idle', mediaRemaining: null },
      timings: { totalMs: expect.any(Number), printMs: expect.any(Number) },
    });
    expect(report.status.reasons).toContain('marker-supply-low');
    const file = `${report.job.jobId}-kiosk_print-test.jpg`;
    expect(await printer.spooledFiles()).toContain(file);
    const meta = await sharp(await readFile(join(printer.spoolDir, file))).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1200, height: 1800, density: 300 });
  });

  it('reports a job the printer aborts, with its reason, and exits 1', async () => {
    await printer.setJobScript('echo "STATE: +media-jam" >&2\nexit 1\n');
    const { code, stdout } = await kiosk(['print-test', '--printer', printer.url, '--media', '5x7']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout.trim())).toMatchObject({
      ippMedia: 'na_5x7_5x7in',
      sheet: { width: 1500, height: 2100 },
      job: { outcome: 'failed', reason: 'media-jam', state: 'aborted' },
      status: { ready: false },
    });
  });

  it('exits 1 with an offline report when nothing answers at the URI', async () => {
    const closed = new URL(printer.url.replace(/^ipp:/, 'http:'));
    closed.port = '1';
    const url = closed.toString().replace(/^http:/, 'ipp:');
    const { code, stdout } = await kiosk(['print-test', '--printer', url]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout.trim())).toMatchObject({
      job: { outcome: 'failed', reason: 'offline' },
      status: { online: false, ready: false, reasons: ['offline'] },
    });
  });

  it('exits 2 on usage errors', async () => {
    expect((await kiosk(['print-test'])).code).toBe(2);
    expect((await kiosk(['print-test', '--printer', printer.url, '--media', 'poster'])).code).toBe(2);
    expect((await kiosk(['print-test', '--printer', 'lpt1'])).code).toBe(2);
  });
});
