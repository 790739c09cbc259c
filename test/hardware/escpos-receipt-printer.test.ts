import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../hardware/receipt/escpos-decode.ts';
import { maxRasterBandRows, monoImage, rasterBands } from '../../hardware/receipt/escpos-raster.ts';
import {
  EscPosReceiptPrinter,
  formatAmount,
  type EscPosReceiptPrinterOptions,
} from '../../hardware/receipt/escpos-receipt-printer.ts';
import { EscPosTcpEmulator } from '../../hardware/receipt/escpos-tcp-emulator.ts';
import type { Receipt } from '../../hardware/receipt/receipt-printer-port.ts';
import { expectDeviceError } from '../contract/device-time.ts';

const receipt = (receiptCode = 'RC4K7QZ2'): Receipt => ({
  boothName: 'Booth Hauptbahnhof',
  at: new Date(Date.UTC(2026, 0, 5, 9, 30)),
  product: 'Passport photos x4',
  amountPaid: 850,
  currency: 'EUR',
  receiptCode,
  retentionDays: 30,
});

/** Indexes of `needle` in `haystack`. */
function findAll(haystack: Buffer, needle: number[]): number[] {
  const at: number[] = [];
  for (
    let i = haystack.indexOf(Buffer.from(needle));
    i >= 0;
    i = haystack.indexOf(Buffer.from(needle), i + 1)
  ) {
    at.push(i);
  }
  return at;
}

describe('EscPosReceiptPrinter over TCP', () => {
  let emulator: EscPosTcpEmulator;
  let printers: EscPosReceiptPrinter[];
  beforeEach(async () => {
    emulator = await EscPosTcpEmulator.start();
    printers = [];
  });
  afterEach(async () => {
    for (const p of printers) await p.close();
    await emulator.close();
  });
  async function openPrinter(options: Partial<EscPosReceiptPrinterOptions> = {}) {
    const printer = new EscPosReceiptPrinter({ uri: emulator.uri, pollMs: 0, timeZone: 'UTC', ...options });
    printers.push(printer);
    await printer.open();
    return printer;
  }

  it('sends the receipt: text lines, the code as a QR code, and a cut', async () => {
    const printer = await openPrinter();
    await printer.printReceipt(receipt());
    const jobs = emulator.jobs();
    expect(jobs).toHaveLength(1);
    const bytes = jobs[0]!;
    const decoded = decodeEscPos(bytes);
    const text = decoded.lines.join('\n');
    expect(decoded.lines).toContain('Booth Hauptbahnhof');
    expect(decoded.lines).toContain('2026-01-05 09:30');
    expect(text).toMatch(/Product +Passport photos x4/);
    expect(text).toMatch(/Paid +EUR 8\.50/);
    expect(decoded.lines).toContain('RC4K7QZ2');
    expect(decoded.lines).toContain('Photos deleted after 30 days. Code = your key.');
    for (const line of decoded.lines) expect(line.length).toBeLessThanOrEqual(48);
    // QR: GS ( k model, size, error correction, store (cn 49 fn 80 with the code), print (fn 81)
    expect(decoded.qrCodes).toEqual(['RC4K7QZ2']);
    const store = Buffer.from([0x1d, 0x28, 0x6b, 8 + 3, 0, 0x31, 0x50, 0x30, ...Buffer.from('RC4K7QZ2')]);
    expect(bytes.indexOf(store)).toBeGreaterThan(0);
    expect(findAll(bytes, [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30])).toHaveLength(1);
    // one full cut (GS V 0), after the text and the QR code
    expect(decoded.cuts).toBe(1);
    const cutAt = findAll(bytes, [0x1d, 0x56, 0x00]);
    expect(cutAt).toHaveLength(1);
    expect(cutAt[0]).toBeGreaterThan(bytes.indexOf(store));
    const kinds = decoded.items.map((item) => item.kind).filter((k) => k !== 'command');
    expect(kinds.indexOf('qr')).toBeLessThan(kinds.indexOf('cut'));
    // starts clean (ESC @), and asks for the paper status last to confirm the bytes arrived
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    expect([...bytes.subarray(-3)]).toEqual([0x10, 0x04, 0x04]);
    expect(decoded.rasters).toEqual([]);
  });

  it('prints a tall logo as GS v 0 raster bands of at most 255 rows', async () => {
    const logo = await sharp({ create: { width: 800, height: 1200, channels: 3, background: '#000000' } })
      .png()
      .toBuffer();
    const printer = await openPrinter({ logo, dotsWide: 576 });
    await printer.printReceipt(receipt());
    const decoded = decodeEscPos(emulator.jobs()[0]!);
    // 800x1200 scaled to 576 wide is 864 rows: 255 + 255 + 255 + 99
    expect(decoded.rasters.map((r) => r.height)).toEqual([255, 255, 255, 99]);
    expect(decoded.rasters.every((r) => r.widthBytes === 72)).toBe(true);
    const first = decoded.items.findIndex((i) => i.kind === 'raster');
    expect(first).toBeLessThan(decoded.items.findIndex((i) => i.kind === 'text'));
    expect(decoded.lines).toContain('RC4K7QZ2');
  });

  it('bands an image by any band height up to 255, keeping every dot', async () => {
    const png = await sharp({
      create: { width: 20, height: 600, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } },
    })
      .png()
      .toBuffer();
    const image = await monoImage(png, 576);
    expect(image).toMatchObject({ widthBytes: 3, height: 600 });
    expect(image.bits.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xff, 0xf0]));
    const bands = decodeEscPos(rasterBands(image, 100)).rasters;
    expect(bands.map((b) => b.height)).toEqual([100, 100, 100, 100, 100, 100]);
    expect(decodeEscPos(rasterBands(image)).rasters.map((b) => b.height)).toEqual([255, 255, 90]);
    expect(() => rasterBands(image, maxRasterBandRows + 1)).toThrow(RangeError);
  });

  it('prints receipts one at a time, in order, when asked at once', async () => {
    const printer = await openPrinter();
    await Promise.all(
      ['RC000001', 'RC000002', 'RC000003'].map((code) => printer.printReceipt(receipt(code))),
    );
    expect(emulator.jobs().map((bytes) => decodeEscPos(bytes).qrCodes[0])).toEqual([
      'RC000001',
      'RC000002',
      'RC000003',
    ]);
  });

  it('is offline when nothing listens on the port: open() resolves, printing rejects offline', async () => {
    const port = emulator.port;
    await emulator.close();
    const printer = new EscPosReceiptPrinter({ uri: `tcp://127.0.0.1:${port}`, pollMs: 0 });
    printers.push(printer);
    await printer.open();
    expect(printer.status()).toEqual({ online: false, ready: false, reasons: ['offline'] });
    await expectDeviceError(printer.printReceipt(receipt()), 'receipt-printer', 'offline');
    emulator = await EscPosTcpEmulator.start(port);
    expect(await printer.checkNow()).toEqual({ online: true, ready: true, reasons: [] });
    await printer.printReceipt(receipt());
    expect(emulator.jobs()).toHaveLength(1);
  });

  it('goes offline when the printer disappears while open', async () => {
    const printer = await openPrinter({ pollMs: 20 });
    expect(printer.status().online).toBe(true);
    await emulator.close();
    await expect
      .poll(() => printer.status(), { timeout: 3_000 })
      .toEqual({
        online: false,
        ready: false,
        reasons: ['offline'],
      });
    emulator = await EscPosTcpEmulator.start();
  });

  it('reads paper out through DLE EOT 4: media-empty, and refuses to print', async () => {
    emulator.paper = 'out';
    const printer = await openPrinter();
    expect(printer.status()).toEqual({ online: true, ready: false, reasons: ['media-empty'] });
    await expectDeviceError(printer.printReceipt(receipt()), 'receipt-printer', 'media-empty');
    expect(emulator.jobs()).toEqual([]);
    emulator.paper = 'ok';
    await printer.printReceipt(receipt());
    expect(emulator.jobs()).toHaveLength(1);
    expect(printer.status()).toEqual({ online: true, ready: true, reasons: [] });
  });

  it('warns media-low at paper near end and still prints; hears paper out in the answer after a receipt', async () => {
    emulator.paper = 'near-end';
    const printer = await openPrinter();
    expect(printer.status()).toEqual({ online: true, ready: true, reasons: ['media-low'] });
    await printer.printReceipt(receipt());
    emulator.runsOutDuringNextJob = true;
    await printer.printReceipt(receipt('RC000002'));
    expect(emulator.jobs()).toHaveLength(2);
    expect(printer.status()).toEqual({ online: true, ready: false, reasons: ['media-empty'] });
  });

  it('prints to a printer that never answers status requests, as online with paper unknown', async () => {
    emulator.answerStatus = false;
    const printer = await openPrinter({ statusTimeoutMs: 50 });
    expect(printer.status()).toEqual({ online: true, ready: true, reasons: [] });
    await printer.printReceipt(receipt());
    await expect.poll(() => emulator.jobs().length).toBe(1);
    const bytes = emulator.jobs()[0]!;
    expect([...bytes.subarray(-3)]).not.toEqual([0x10, 0x04, 0x04]);
    await expect.poll(() => decodeEscPos(emulator.jobs()[0]!).cuts).toBe(1);
  });

  it('refuses to print when closed, without connecting', async () => {
    const printer = await openPrinter();
    await printer.close();
    const before = emulator.connections.length;
    await expectDeviceError(printer.printReceipt(receipt()), 'receipt-printer', 'offline');
    expect(emulator.connections).toHaveLength(before);
  });

  it('rejects a URI that is neither tcp:// nor a device path', () => {
    expect(() => new EscPosReceiptPrinter({ uri: 'usb://04b8:0202' })).toThrow(RangeError);
  });
});

describe('EscPosReceiptPrinter on a device file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'escpos-device-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the receipt to the device, and is offline when the device is missing', async () => {
    const device = join(dir, 'lp0');
    await writeFile(device, '');
    const printer = new EscPosReceiptPrinter({ uri: device, pollMs: 0, timeZone: 'UTC' });
    await printer.open();
    expect(printer.status()).toEqual({ online: true, ready: true, reasons: [] });
    await printer.printReceipt(receipt());
    const decoded = decodeEscPos(await readFile(device));
    expect(decoded.lines).toContain('RC4K7QZ2');
    expect(decoded.qrCodes).toEqual(['RC4K7QZ2']);
    expect(decoded.cuts).toBe(1);

    await rm(device);
    expect(await printer.checkNow()).toEqual({ online: false, ready: false, reasons: ['offline'] });
    await expectDeviceError(printer.printReceipt(receipt()), 'receipt-printer', 'offline');
    await printer.close();
  });
});

describe('formatAmount', () => {
  it('uses the currency’s minor digits', () => {
    expect(formatAmount(850, 'EUR')).toBe('EUR 8.50');
    expect(formatAmount(500, 'JPY')).toBe('JPY 500');
    expect(formatAmount(1234, 'KWD')).toBe('KWD 1.234');
    expect(formatAmount(1234, 'TOKENS')).toBe('TOKENS 12.34');
  });
});
