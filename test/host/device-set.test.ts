import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { boothConfigSchema, type BoothConfigInput } from '../../config/schema.ts';
import { SystemClock } from '../../core/clock.ts';
import { DeviceSet, configuredDevices } from '../../app/host/device-set.ts';
import { SimulatedCamera } from '../../hardware/camera/simulated-camera.ts';
import { FolderPhotoPrinter } from '../../hardware/printer/folder-photo-printer.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('DeviceSet: devices across config changes', () => {
  it('keeps what did not change, reopens what did, and tells a counting printer its media was loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'device-set-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = (change: BoothConfigInput = {}) =>
      boothConfigSchema.parse({
        hardware: { photoPrinter: { adapter: 'folder', path: dir, loadedPrints: 3 } },
        ...change,
      });
    const set = new DeviceSet(configuredDevices(new SystemClock(), { seed: 1 }));
    cleanups.push(() => set.close());
    expect(await set.apply(config())).toEqual({
      camera: 'opened',
      payment: 'opened',
      photoPrinter: 'opened',
      receiptPrinter: 'opened',
      hopper: 'opened',
    });
    const { camera, photoPrinter } = set.devices;
    expect(camera).toBeInstanceOf(SimulatedCamera);
    expect(photoPrinter).toBeInstanceOf(FolderPhotoPrinter);
    const sheet = await sharp({ create: { width: 120, height: 180, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    await photoPrinter.print({ jobName: 't', media: '4x6', copies: 1, data: sheet });
    expect(photoPrinter.status().mediaRemaining).toBe(2);

    // The same config again (an operator loaded paper and reloaded): every device kept, the count restarts.
    expect(await set.apply(config())).toEqual({
      camera: 'kept',
      payment: 'kept',
      photoPrinter: 'kept',
      receiptPrinter: 'kept',
      hopper: 'kept',
    });
    expect(set.devices.photoPrinter).toBe(photoPrinter);
    expect(photoPrinter.status().mediaRemaining).toBe(3);

    // New coins reach the payment device (reopened); the camera stays; no receipt printer any more.
    const changed = await set.apply(
      config({
        money: { coins: [50, 100, 200] },
        hardware: {
          photoPrinter: { adapter: 'folder', path: dir, loadedPrints: 3 },
          receiptPrinter: { adapter: 'none' },
        },
      }),
    );
    expect(changed).toEqual({
      camera: 'kept',
      payment: 'reopened',
      photoPrinter: 'kept',
      receiptPrinter: 'reopened',
      hopper: 'kept',
    });
    expect(set.devices.camera).toBe(camera);
    expect(set.devices.receiptPrinter).toBeNull();
    expect(set.opens).toEqual({ camera: 1, payment: 2, photoPrinter: 1, receiptPrinter: 1, hopper: 0 });
  });

  it('builds only the configured devices: no simulator behind real hardware', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'device-set-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const set = new DeviceSet(configuredDevices(new SystemClock(), { seed: 1 }));
    cleanups.push(() => set.close());
    await set.apply(
      boothConfigSchema.parse({
        hardware: { photoPrinter: { adapter: 'folder', path: dir }, receiptPrinter: { adapter: 'none' } },
      }),
    );
    expect(set.devices.photoPrinter.kind).toBe('folder');
    expect(set.devices.receiptPrinter).toBeNull();
  });
});
