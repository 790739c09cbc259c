// The printers a config names are the real adapters, and the IPP printer's status reaches the
// booth's device health: with a real ippeveprinter out of paper, the booth will not take money.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { boothConfigSchema, type BoothConfigInput } from '../../config/schema.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { createDevices } from '../../app/booth/create-devices.ts';
import { deviceHealth } from '../../app/booth/device-health.ts';
import { closeDevices, openDevices } from '../../app/booth/booth-devices.ts';
import { IppPhotoPrinter } from '../../hardware/printer/ipp-photo-printer.ts';
import { FolderPhotoPrinter } from '../../hardware/printer/folder-photo-printer.ts';
import { EscPosReceiptPrinter } from '../../hardware/receipt/escpos-receipt-printer.ts';
import {
  startIppEverywherePrinter,
  type IppEverywherePrinter,
} from '../hardware/ipp/ipp-everywhere-printer.ts';

const devicesFor = (hardware: BoothConfigInput['hardware']) =>
  createDevices(boothConfigSchema.parse({ hardware }), new SimClock());

describe('printers from config', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('builds the IPP, folder and ESC/POS adapters the config names', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'sheets-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const ipp = devicesFor({ photoPrinter: { adapter: 'ipp', url: 'ipp://127.0.0.1:9/ipp/print' } });
    expect(ipp.photoPrinter).toBeInstanceOf(IppPhotoPrinter);
    const files = devicesFor({
      photoPrinter: { adapter: 'folder', path: folder },
      receiptPrinter: { adapter: 'escpos', address: 'tcp://127.0.0.1:9' },
    });
    expect(files.photoPrinter).toBeInstanceOf(FolderPhotoPrinter);
    expect(files.receiptPrinter).toBeInstanceOf(EscPosReceiptPrinter);
    expect(devicesFor({ receiptPrinter: { adapter: 'none' } }).receiptPrinter).toBeNull();
  });

  it('refuses a gphoto2 camera with no scratch folder (neither its config nor the booth names one)', () => {
    expect(() => devicesFor({ camera: { adapter: 'gphoto2' } })).toThrow(
      /hardware\.camera "gphoto2" needs a scratch folder/,
    );
  });

  it('an IPP printer out of paper makes the booth unhealthy (no money is taken)', async () => {
    const ippeve: IppEverywherePrinter = await startIppEverywherePrinter();
    cleanups.push(() => ippeve.stop());
    const devices = devicesFor({ photoPrinter: { adapter: 'ipp', url: ippeve.url, pollMs: 0 } });
    const printer = devices.photoPrinter as IppPhotoPrinter;
    await openDevices(devices);
    cleanups.push(() => closeDevices(devices));
    expect(printer.status().ready).toBe(true);
    expect(deviceHealth(devices, 1)).toEqual({ ok: true, reason: null });

    await ippeve.setMedia(2, { size: 'na_index-4x6_4x6in', type: 'photographic-glossy', level: 0 });
    await printer.refresh();
    expect(deviceHealth(devices, 1)).toEqual({ ok: false, reason: 'photo-printer:media-empty' });
  }, 60_000);
});
