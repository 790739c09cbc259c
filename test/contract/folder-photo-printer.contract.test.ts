import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderPhotoPrinter } from '../../hardware/printer/folder-photo-printer.ts';
import { realTime } from './device-time.ts';
import { describePhotoPrinterContract } from './photo-printer-contract.ts';

/**
 * The folder printer against a fresh temp folder; the driver is the operator loading media
 * (setting the sheet count) and the printer's record of completed jobs (the files carry no names).
 */
describePhotoPrinterContract('FolderPhotoPrinter in a temp folder', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'folder-printer-contract-'));
  const device = new FolderPhotoPrinter({ folder, media: '4x6', minFreeBytes: 0, pollMs: 0 });
  return {
    device,
    driver: {
      media: '4x6',
      loadMedia: (prints) => device.loadMedia(prints),
      printedJobs: () => device.completedJobs,
    },
    time: realTime(),
    teardown: () => rm(folder, { recursive: true, force: true }),
  };
});
