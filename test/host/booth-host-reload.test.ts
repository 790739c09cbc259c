// The composition root reconfigures in place: a reload that changes the media, the dpi, a
// document spec and the receipt printer reaches the producer and the printer together, and the
// devices whose config did not change (camera, payment) are not reopened.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boothConfigSchema, type BoothConfigInput } from '../../config/schema.ts';
import { mediaSizes, type PrintMedia } from '../../core/print-media.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { configuredDevices } from '../../app/host/device-set.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { SimulatedCamera } from '../../hardware/camera/simulated-camera.ts';
import { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import { until } from '../shell/booth-fixture.ts';
import { walkUpAndPay } from '../support/walk-up.ts';

const schengen = JSON.parse(
  readFileSync(new URL('../../config/documents/specs/schengen-visa.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

function configFor(dir: string, change: Partial<BoothConfigInput>) {
  return boothConfigSchema.parse({
    vision: { engine: 'basic' },
    environment: { enabled: false },
    timeouts: { countdownMs: 50 },
    products: [{ id: 'photos-2', prints: 1, photosPerSheet: 2, price: 100 }],
    documents: ['schengen-visa'],
    hardware: {
      camera: { adapter: 'simulated', portrait: 1 },
      photoPrinter: { adapter: 'folder', path: join(dir, 'prints') },
    },
    ...change,
  });
}

/** One customer buys a photo of `documentId` and takes it; resolves with the sheet file printed. */
async function serve(host: BoothHost, dir: string, documentId: string): Promise<string> {
  const booth = host.booth;
  const screen = () => booth.view().screen.screen;
  const before = new Set(readdirSync(join(dir, 'prints')));
  await walkUpAndPay(booth, { documentId, productId: 'photos-2', coin: 100 });
  booth.send({ type: 'CAPTURE_NOW' });
  await until(() => screen() === 'review', 60_000, 'review');
  expect(booth.view().session?.context.review?.verdict).toBe('pass');
  booth.send({ type: 'ACCEPT_PHOTO' });
  await until(() => screen() === 'thankYou', 60_000, 'thank you');
  booth.send({ type: 'FINISH' });
  const printed = readdirSync(join(dir, 'prints')).filter((f) => !before.has(f) && f.endsWith('.jpg'));
  expect(printed).toHaveLength(1);
  return join(dir, 'prints', printed[0]!);
}

async function sheetSize(file: string) {
  const meta = await sharp(file).metadata();
  return { width: meta.width, height: meta.height, density: meta.density };
}

const px = (mm: number, dpi: number) => Math.round((mm / 25.4) * dpi);
const expected = (media: PrintMedia, dpi: number) => ({
  width: px(mediaSizes[media].widthMm, dpi),
  height: px(mediaSizes[media].heightMm, dpi),
  density: dpi,
});

describe('BoothHost: a config reload applies in place', () => {
  it('new media, dpi, spec and receipt printer reach the next session; camera and payment stay open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'booth-host-reload-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'prints'));
    const cameraOpens = vi.spyOn(SimulatedCamera.prototype, 'open');
    const paymentOpens = vi.spyOn(SimulatedPaymentDevice.prototype, 'open');
    const first = configFor(dir, { production: { media: '4x6', dpi: 300 } });
    const host = await BoothHost.open(
      {
        dataDir: dir,
        logger: silentLogger(),
        holder: 'test',
        vision: 'engine',
        devices: ({ clock, journal }) => configuredDevices(clock, { seed: 1, counters: journal }),
      },
      first,
    );
    cleanups.push(() => host.close());
    const started = await host.start(first);
    expect(started.devices).toEqual({
      camera: 'opened',
      payment: 'opened',
      photoPrinter: 'opened',
      receiptPrinter: 'opened',
      hopper: 'opened',
    });
    expect(host.booth.devices.receiptPrinter).not.toBeNull();

    expect(await sheetSize(await serve(host, dir, 'schengen-visa'))).toEqual(expected('4x6', 300));

    // The operator loads 5x7 paper at 600 dpi, adds a spec of their own and unplugs the receipt printer.
    const second = configFor(dir, {
      production: { media: '5x7', dpi: 600 },
      documentSpecs: [{ ...schengen, id: 'xx-visa', name: 'Operator visa' } as never],
      documents: ['xx-visa'],
      hardware: {
        camera: { adapter: 'simulated', portrait: 1 },
        photoPrinter: { adapter: 'folder', path: join(dir, 'prints') },
        receiptPrinter: { adapter: 'none' },
      },
    });
    const oldBooth = host.booth;
    host.requestConfig(second);
    await until(() => host.booth !== oldBooth && host.booth.view().waitingForCustomer, 20_000, 'new config');
    expect(host.config.production.media).toBe('5x7');
    expect(host.booth.devices.receiptPrinter).toBeNull();

    expect(await sheetSize(await serve(host, dir, 'xx-visa'))).toEqual(expected('5x7', 600));

    // Opened once at start, never again: the reload kept them.
    expect(host.devices.opens).toEqual({
      camera: 1,
      payment: 1,
      photoPrinter: 2,
      receiptPrinter: 1,
      hopper: 0,
    });
    expect(cameraOpens).toHaveBeenCalledTimes(1);
    expect(paymentOpens).toHaveBeenCalledTimes(1);
    // The books: two photos paid and delivered, nothing left open.
    expect(host.journal.openOrders()).toEqual([]);
    expect(host.journal.totals()).toMatchObject({ inserted: 200, delivered: 200 });
  }, 240_000);
});
