import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FolderPhotoPrinter,
  type FolderPhotoPrinterOptions,
} from '../../hardware/printer/folder-photo-printer.ts';
import type { PrintSheet } from '../../hardware/printer/photo-printer-port.ts';
import { expectDeviceError } from '../contract/device-time.ts';

describe('FolderPhotoPrinter', () => {
  let jpeg: Buffer;
  let folder: string;
  let printers: FolderPhotoPrinter[];

  beforeAll(async () => {
    jpeg = await sharp({ create: { width: 120, height: 180, channels: 3, background: '#c0ffee' } })
      .jpeg({ quality: 95 })
      .toBuffer();
  });
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'folder-printer-'));
    printers = [];
  });
  afterEach(async () => {
    for (const p of printers) await p.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function openPrinter(options: Partial<FolderPhotoPrinterOptions> = {}): Promise<FolderPhotoPrinter> {
    const printer = new FolderPhotoPrinter({ folder, minFreeBytes: 0, pollMs: 0, ...options });
    printers.push(printer);
    await printer.open();
    return printer;
  }
  const sheet = (copies = 1, jobName = 'Session of Jane Doe'): PrintSheet => ({
    jobName,
    media: '4x6',
    copies,
    data: jpeg,
  });
  const jpgFiles = async () => (await readdir(folder)).filter((f) => !f.startsWith('.')).sort();

  it('writes one whole file per copy, mode 0600, with the bytes sent, and no temp file left', async () => {
    const printer = await openPrinter({ now: () => new Date(Date.UTC(2026, 0, 5, 9, 30, 0, 123)) });
    const result = await printer.print(sheet(2));
    expect(result.state).toBe('completed');
    const files = await jpgFiles();
    expect(files).toEqual(['20260105T093000123Z-000001-1of2.jpg', '20260105T093000123Z-000001-2of2.jpg']);
    expect(await readdir(folder)).toHaveLength(2);
    for (const f of files) {
      const bytes = await readFile(join(folder, f));
      expect(bytes.equals(jpeg)).toBe(true);
      expect((await stat(join(folder, f))).mode & 0o777).toBe(0o600);
    }
    expect(printer.written.map((w) => w.copy)).toEqual([1, 2]);
  });

  it('keeps personal data out of file names, and numbers jobs', async () => {
    const printer = await openPrinter();
    await printer.print(sheet(1, 'Jane Doe passport'));
    await printer.print(sheet(1, 'John Roe visa'));
    const files = await jpgFiles();
    expect(files).toHaveLength(2);
    expect(files.join(' ')).not.toMatch(/jane|doe|john|roe|passport|visa/i);
    expect(files[0]).toMatch(/^\d{8}T\d{9}Z-000001-1of1\.jpg$/);
    expect(files[1]).toMatch(/^\d{8}T\d{9}Z-000002-1of1\.jpg$/);
    expect(printer.completedJobs).toEqual(['Jane Doe passport', 'John Roe visa']);
  });

  it('counts the loaded sheets down and warns media-low, then media-empty', async () => {
    const printer = await openPrinter({ loadedPrints: 3, lowAt: 3 });
    expect(printer.status()).toMatchObject({ ready: true, mediaRemaining: 3, reasons: [] });
    await printer.print(sheet(2));
    expect(printer.status()).toMatchObject({ ready: true, mediaRemaining: 1, reasons: ['media-low'] });
    await printer.print(sheet(1));
    expect(printer.status()).toMatchObject({
      ready: false,
      state: 'stopped',
      mediaRemaining: 0,
      reasons: ['media-empty'],
    });
    await expectDeviceError(printer.print(sheet()), 'photo-printer', 'media-empty');
    printer.loadMedia(50);
    expect(printer.status()).toMatchObject({ ready: true, mediaRemaining: 50, reasons: [] });
  });

  it('reports mediaRemaining null when no sheets are counted', async () => {
    const printer = await openPrinter();
    await printer.print(sheet(3));
    expect(printer.status()).toMatchObject({ ready: true, mediaRemaining: null });
  });

  it('is offline when the folder is missing, and ready again once it is back', async () => {
    const printer = await openPrinter();
    await rm(folder, { recursive: true });
    expect(printer.checkNow()).toMatchObject({ online: false, ready: false, reasons: ['offline'] });
    await expectDeviceError(printer.print(sheet()), 'photo-printer', 'offline');
    await mkdir(folder);
    expect(printer.checkNow()).toMatchObject({ online: true, ready: true, state: 'idle' });
  });

  it('is offline when the path is a file, not a folder', async () => {
    const file = join(folder, 'not-a-folder');
    await writeFile(file, 'x');
    const printer = new FolderPhotoPrinter({ folder: file, minFreeBytes: 0, pollMs: 0 });
    printers.push(printer);
    await printer.open();
    expect(printer.status()).toMatchObject({ online: false, ready: false, reasons: ['offline'] });
    await expectDeviceError(printer.print(sheet()), 'photo-printer', 'offline');
  });

  it.skipIf(process.getuid?.() === 0)('is offline when the folder is not writable', async () => {
    const { chmod } = await import('node:fs/promises');
    const printer = await openPrinter();
    await chmod(folder, 0o500);
    try {
      expect(printer.checkNow()).toMatchObject({ online: false, reasons: ['offline'] });
      await expectDeviceError(printer.print(sheet()), 'photo-printer', 'offline');
    } finally {
      await chmod(folder, 0o700);
    }
  });

  it('is media-empty when the disk has less free space than the minimum', async () => {
    const printer = await openPrinter({ minFreeBytes: Number.MAX_SAFE_INTEGER });
    expect(printer.status()).toMatchObject({ online: true, ready: false, reasons: ['media-empty'] });
    await expectDeviceError(printer.print(sheet()), 'photo-printer', 'media-empty');
    expect(await jpgFiles()).toEqual([]);
  });

  it('follows the folder on its own while open (polling)', async () => {
    const printer = await openPrinter({ pollMs: 10 });
    const seen: boolean[] = [];
    printer.onStatus((s) => seen.push(s.online));
    await rm(folder, { recursive: true });
    await expect.poll(() => printer.status().online, { timeout: 2_000 }).toBe(false);
    expect(seen).toContain(false);
  });

  it('refuses a sheet for other media, and leaves the folder empty', async () => {
    const printer = await openPrinter();
    await expectDeviceError(
      printer.print({ ...sheet(), media: '5x7' }),
      'photo-printer',
      'media-unsupported',
    );
    expect(await jpgFiles()).toEqual([]);
  });

  it('keeps copies written before the media ran out, but does not complete the job', async () => {
    const printer = await openPrinter({ loadedPrints: 1 });
    await expectDeviceError(printer.print(sheet(3)), 'photo-printer', 'media-empty');
    expect(await jpgFiles()).toEqual([expect.stringMatching(/-000001-1of3\.jpg$/)]);
    expect(printer.completedJobs).toEqual([]);
  });
});
