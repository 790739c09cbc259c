import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperStock } from '../../app/operator/paper-stock.ts';
import { OperatorError } from '../../app/operator/operator-error.ts';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths } from '../../config/data-dir.ts';
import type { BoothConfigInput } from '../../config/schema.ts';
import { FolderPhotoPrinter } from '../../hardware/printer/folder-photo-printer.ts';
import { DeviceError } from '../../hardware/device-status.ts';
import type { PrintSheet } from '../../hardware/printer/photo-printer-port.ts';
import { IppPhotoPrinter } from '../../hardware/printer/ipp-photo-printer.ts';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import { startIppEverywherePrinter } from '../hardware/ipp/ipp-everywhere-printer.ts';

let dir: string;
let paths: ReturnType<typeof dataPaths>;
let store: ConfigStore;
const now = Date.UTC(2026, 11, 2, 9, 0, 0);
const clock = { now: () => now };
const opened: { close(): unknown }[] = [];
let hotFolder: string;

function stock(): PaperStock {
  const s = PaperStock.open({ file: paths.paperStock, config: store, clock });
  opened.push(s);
  return s;
}

function configure(input: BoothConfigInput): void {
  store.save(input);
}

const sheet: PrintSheet = {
  jobName: 'sheet',
  media: '4x6',
  copies: 1,
  data: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-paper-stock-'));
  paths = dataPaths(dir);
  hotFolder = join(dir, 'hot-folder');
  mkdirSync(hotFolder);
  store = new ConfigStore({ file: paths.config });
  configure({ hardware: { photoPrinter: { adapter: 'folder', path: hotFolder } } });
});

afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PaperStock: the count', () => {
  it('is uncounted until media is loaded, then counts the prints made since', () => {
    const paper = stock();
    expect(paper.state()).toMatchObject({
      source: 'uncounted',
      remaining: null,
      low: false,
      empty: false,
      media: '4x6',
    });
    expect(paper.loadMedia({ media: '4x6', prints: 50 })).toMatchObject({
      source: 'loaded',
      loaded: 50,
      printedSince: 0,
      remaining: 50,
      loadedAt: now,
    });
    paper.printed(2);
    paper.printed(1);
    expect(paper.state()).toMatchObject({ remaining: 47, printedSince: 3 });
  });

  it('keeps the load and the prints since across a restart, in an owner-only file', () => {
    let paper = stock();
    paper.loadMedia({ media: '4x6', prints: 400 });
    paper.printed(7);
    paper.close();
    opened.splice(0);
    store = new ConfigStore({ file: paths.config });
    paper = stock();
    expect(paper.state()).toMatchObject({ source: 'loaded', loaded: 400, printedSince: 7, remaining: 393 });
    expect(statSync(paths.paperStock).mode & 0o777).toBe(0o600);
  });

  it('warns low below lowAt and is empty at the reserve, both from the config', () => {
    configure({
      hardware: { photoPrinter: { adapter: 'folder', path: hotFolder } },
      operator: { paper: { lowAt: 5, emptyAt: 2 } },
    });
    const paper = stock();
    paper.loadMedia({ media: '4x6', prints: 6 });
    expect(paper.count()).toEqual({ remaining: 6, low: false, empty: false });
    paper.printed(2);
    expect(paper.count()).toEqual({ remaining: 4, low: true, empty: false });
    paper.printed(2);
    expect(paper.count()).toEqual({ remaining: 2, low: false, empty: true });
    expect(paper.state()).toMatchObject({ lowAt: 5, emptyAt: 2 });
  });

  it('refuses a reserve at or above the low mark in the config', () => {
    expect(() =>
      configure({
        hardware: { photoPrinter: { adapter: 'folder', path: hotFolder } },
        operator: { paper: { lowAt: 3, emptyAt: 3 } },
      }),
    ).toThrow(/operator\.paper: emptyAt must be below lowAt/);
  });

  it('ranOut empties the count when the printer says so before the count does', () => {
    const paper = stock();
    paper.loadMedia({ media: '4x6', prints: 30 });
    paper.printed(3);
    paper.ranOut();
    expect(paper.count()).toEqual({ remaining: 0, low: false, empty: true });
  });

  it('refuses a count that is not 1 to 10000 whole prints, and media the booth does not print on', () => {
    const paper = stock();
    for (const prints of [0, -3, 2.5, 10_001, Number.NaN]) {
      const error = (() => {
        try {
          paper.loadMedia({ media: '4x6', prints });
        } catch (e) {
          return e as OperatorError;
        }
        throw new Error(`${prints} was taken`);
      })();
      expect(error).toBeInstanceOf(OperatorError);
      expect(error.code).toBe('media-count-invalid');
    }
    expect(() => paper.loadMedia({ media: '5x7', prints: 100 })).toThrow(
      /prints on 4x6 \(production\.media\), not 5x7/,
    );
    expect(paper.state().source).toBe('uncounted');
  });

  it("counts from the config's loadedPrints until a load is recorded, and takes a changed loadedPrints as a load", () => {
    configure({ hardware: { photoPrinter: { adapter: 'folder', path: hotFolder, loadedPrints: 300 } } });
    let paper = stock();
    expect(paper.state()).toMatchObject({ source: 'config', remaining: 300 });
    paper.printed(10);
    // A restart, or a reload with the same value, does not refill the printer.
    paper.close();
    opened.splice(0);
    paper = stock();
    expect(paper.state()).toMatchObject({ source: 'config', remaining: 290 });
    // The old way of loading: edit loadedPrints and reload.
    configure({ hardware: { photoPrinter: { adapter: 'folder', path: hotFolder, loadedPrints: 500 } } });
    expect(paper.state()).toMatchObject({ source: 'config', remaining: 500, printedSince: 0 });
    // A load at the booth outranks it, and stays when loadedPrints is taken out of the config.
    paper.loadMedia({ media: '4x6', prints: 120 });
    configure({ hardware: { photoPrinter: { adapter: 'folder', path: hotFolder } } });
    expect(paper.state()).toMatchObject({ source: 'loaded', remaining: 120 });
  });
});

describe('PaperStock counting for the folder printer', () => {
  async function printer(paper: PaperStock): Promise<FolderPhotoPrinter> {
    const p = new FolderPhotoPrinter({ folder: hotFolder, mediaCounter: paper, pollMs: 0 });
    opened.push(p);
    await p.open();
    return p;
  }

  it('goes media-empty when the loaded prints are used, and is ready again the moment media is loaded', async () => {
    const paper = stock();
    paper.loadMedia({ media: '4x6', prints: 2 });
    const folder = await printer(paper);
    expect(folder.status()).toMatchObject({ ready: true, mediaRemaining: 2 });
    await folder.print({ ...sheet, copies: 2 });
    expect(folder.status()).toMatchObject({ ready: false, reasons: ['media-empty'], mediaRemaining: 0 });
    const refused = await folder.print(sheet).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeviceError);
    expect((refused as DeviceError).code).toBe('media-empty');
    expect(readdirSync(hotFolder)).toHaveLength(2);
    // "Media loaded": no config edit, no reload, no poll.
    paper.loadMedia({ media: '4x6', prints: 25 });
    expect(folder.status()).toMatchObject({ ready: true, reasons: [], mediaRemaining: 25 });
    await folder.print(sheet);
    expect(paper.state()).toMatchObject({ remaining: 24, printedSince: 1 });
    // The adapter's own loadMedia is for a count in memory; here the stock holds it.
    expect(() => folder.loadMedia(10)).toThrow(/counts through its media counter/);
  });

  it('after a restart the new printer starts from the persisted count, low warning included', async () => {
    configure({
      hardware: { photoPrinter: { adapter: 'folder', path: hotFolder } },
      operator: { paper: { lowAt: 5 } },
    });
    let paper = stock();
    paper.loadMedia({ media: '4x6', prints: 6 });
    let folder = await printer(paper);
    await folder.print({ ...sheet, copies: 2 });
    await folder.close();
    paper.close();
    opened.splice(0);
    paper = stock();
    folder = await printer(paper);
    expect(folder.status()).toMatchObject({ ready: true, reasons: ['media-low'], mediaRemaining: 4 });
  });
});

describe('PaperStock counting for the IPP printer (ippeveprinter)', () => {
  it('counts completed copies, is media-empty at 0 and ready again once media is loaded, with no poll', async () => {
    const ippeve = await startIppEverywherePrinter({ name: 'Counted Printer' });
    opened.push({ close: () => ippeve.stop() });
    const paper = stock();
    paper.loadMedia({ media: '4x6', prints: 2 });
    const printer = new IppPhotoPrinter({
      url: ippeve.url,
      pollMs: 0,
      jobPollMs: 25,
      jobTimeoutMs: 20_000,
      mediaCounter: paper,
    });
    opened.push(printer);
    await printer.open();
    expect(printer.status()).toMatchObject({ ready: true, mediaRemaining: 2 });
    const jpeg = await sharp({ create: { width: 120, height: 180, channels: 3, background: '#4477aa' } })
      .jpeg()
      .toBuffer();
    await printer.print({ ...sheet, data: jpeg, copies: 2 });
    expect(paper.state()).toMatchObject({ remaining: 0, printedSince: 2 });
    expect(printer.status()).toMatchObject({ ready: false, mediaRemaining: 0 });
    expect(printer.status().reasons).toContain('media-empty');
    paper.loadMedia({ media: '4x6', prints: 40 });
    expect(printer.status()).toMatchObject({ ready: true, mediaRemaining: 40 });
    expect(printer.status().reasons).not.toContain('media-empty');
  }, 30_000);
});

describe('PaperStock when the disk refuses a write', () => {
  it('counts the prints in memory, still reports them, and writes them with the next print', () => {
    const paper = stock();
    paper.loadMedia({ media: '4x6', prints: 10 });
    // Another connection holds the write lock: SQLite refuses ours (after its busy wait).
    const other = new Database(paths.paperStock);
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(() => paper.printed(3)).not.toThrow();
      expect(paper.state()).toMatchObject({ remaining: 7, printedSince: 3, unsaved: 3 });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    paper.printed(1);
    expect(paper.state()).toMatchObject({ remaining: 6, printedSince: 4, unsaved: 0 });
    paper.close();
    opened.splice(0);
    expect(stock().state()).toMatchObject({ remaining: 6, printedSince: 4 });
  }, 20_000);
});
