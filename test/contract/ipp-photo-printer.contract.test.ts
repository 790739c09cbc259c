import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IppPhotoPrinter } from '../../hardware/printer/ipp-photo-printer.ts';
import { paperJobScript, startIppEverywherePrinter } from '../hardware/ipp/ipp-everywhere-printer.ts';
import { realTime } from './device-time.ts';
import { describePhotoPrinterContract } from './photo-printer-contract.ts';

/**
 * The IPP adapter against a real ippeveprinter, a fresh one per test (a media-empty it reports
 * holds its later jobs for good). The driver is a technician: `loadMedia` tells the adapter the
 * count (as an operator does) and gives the printer's per-job command the same count, so the
 * command acts as the media: it records each job that came out whole, and a job with more copies
 * than the media holds fails there with `STATE: +media-empty` and a non-zero exit (the printer
 * aborts it), as a dye-sub that runs out mid-job does.
 */
describePhotoPrinterContract('IppPhotoPrinter against ippeveprinter', async () => {
  const printer = await startIppEverywherePrinter({ name: 'Contract Printer' });
  const dir = await mkdtemp(join(tmpdir(), 'ipp-contract-'));
  const mediaFile = join(dir, 'media');
  const printedFile = join(dir, 'printed');
  writeFileSync(mediaFile, '0\n');
  writeFileSync(printedFile, '');
  await printer.setJobScript(paperJobScript(mediaFile, printedFile));
  const device = new IppPhotoPrinter({ url: printer.url, pollMs: 0, jobPollMs: 25, jobTimeoutMs: 20_000 });
  return {
    device,
    driver: {
      media: '4x6',
      loadMedia: (prints) => {
        writeFileSync(mediaFile, `${prints}\n`);
        device.loadMedia(prints);
      },
      printedJobs: () => readFileSync(printedFile, 'utf8').split('\n').filter(Boolean),
    },
    time: realTime(),
    teardown: async () => {
      await printer.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
