// A whole customer session on the DSLR adapter: the booth built from a unit's config with
// `hardware.camera.adapter: "gphoto2"`, libgphoto2's virtual D750 (test/tooling/vcamera) serving
// live view and the still, from attract to the printed sheet; then the camera child killed -9
// during the next customer's pose: the camera error, the price back per the money policy, and
// the booth back in service by itself.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { dataPaths } from '../../config/data-dir.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { configuredDevices } from '../../app/host/device-set.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { prepareVirtualCamera, repoRoot, type VirtualCamera } from '../tooling/vcamera/virtual-camera.ts';
import { gphoto2Availability, vcameraPortraits } from '../hardware/gphoto2/vcamera-rig.ts';
import { until } from '../shell/booth-fixture.ts';
import { walkUpAndPay } from '../support/walk-up.ts';

const availability = gphoto2Availability();
if (!availability.available) console.log(`gphoto2 booth session skipped: ${availability.reason}`);

it.runIf(process.env.CI === 'true')(
  'CI has node-gphoto2 built and the virtual camera (npm run setup)',
  () => {
    expect(availability).toEqual({ available: true });
  },
);

describe.skipIf(!availability.available)('a booth session on the gphoto2 camera (virtual D750)', () => {
  let dir: string;
  let host: BoothHost;
  let vcamera: VirtualCamera;
  const saved = { ...process.env };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gphoto2-session-'));
    vcamera = await prepareVirtualCamera({
      dir: join(dir, 'vcamera'),
      portraits: await vcameraPortraits(join(dir, 'portraits')),
      liveViewFps: 25,
    });
    // The still the camera takes: the demo portrait that meets every check, at full size.
    vcamera.setCapture(join(repoRoot, 'demo-assets/portraits/portrait-1.jpg'));
    // The camera child inherits the booth's environment: the virtual camera's IOLIBS and card.
    Object.assign(process.env, vcamera.env);
    mkdirSync(join(dir, 'prints'));
    const config = boothConfigSchema.parse({
      vision: { engine: 'basic' },
      environment: { enabled: false },
      timeouts: { countdownMs: 50 },
      products: [{ id: 'photos-2', prints: 1, photosPerSheet: 2, price: 100 }],
      documents: ['schengen-visa'],
      money: { unusedCredit: 'voucher' },
      hardware: {
        camera: { adapter: 'gphoto2' },
        photoPrinter: { adapter: 'folder', path: join(dir, 'prints') },
      },
    });
    host = await BoothHost.open(
      {
        dataDir: dir,
        logger: silentLogger(),
        holder: 'test',
        vision: 'engine',
        devices: ({ clock, journal }) =>
          configuredDevices(clock, {
            seed: 1,
            counters: journal,
            cameraScratchDir: dataPaths(dir).cameraScratch,
          }),
      },
      config,
    );
    await host.start(config);
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    rmSync(dir, { recursive: true, force: true });
  });

  it('attract to printed sheet: live view from the camera, the still from its card, the sheet out', async () => {
    const booth = host.booth;
    expect(booth.devices.camera.kind).toBe('gphoto2');
    const screen = () => booth.view().screen.screen;
    await walkUpAndPay(booth, { documentId: 'schengen-visa', productId: 'photos-2', coin: 100 });
    booth.send({ type: 'CAPTURE_NOW' });
    await until(() => screen() === 'review', 60_000, 'review');
    expect(booth.view().session?.context.review?.verdict).toBe('pass');
    booth.send({ type: 'ACCEPT_PHOTO' });
    await until(() => screen() === 'thankYou', 60_000, 'thank you');
    expect(readdirSync(join(dir, 'prints')).filter((f) => f.endsWith('.jpg'))).toHaveLength(1);
    booth.send({ type: 'FINISH' });
    await until(() => booth.view().waitingForCustomer, 20_000, 'attract');
    // No frame is left in the camera's scratch folder: each is read and deleted at once.
    expect(
      readdirSync(dataPaths(dir).cameraScratch, { recursive: true }).filter((f) =>
        String(f).endsWith('.jpg'),
      ),
    ).toEqual([]);
  }, 120_000);

  it('the camera child killed -9 during the pose: the camera error, the price on a voucher, back in service', async () => {
    const booth = host.booth;
    const screen = () => booth.view().screen.screen;
    await walkUpAndPay(booth, { documentId: 'schengen-visa', productId: 'photos-2', coin: 100 });
    const child = (booth.devices.camera as unknown as { childPid?: number }).childPid;
    expect(child).toBeGreaterThan(0);
    process.kill(child!, 'SIGKILL');
    await until(() => screen() === 'error', 20_000, 'the camera error');
    expect(booth.view().session?.context.fault?.state).toMatch(/pose|camera|shooting|capturing/);
    booth.send({ type: 'TOUCH' }); // the customer has read it
    await until(() => screen() === 'moneyBack', 30_000, 'money back');
    expect(booth.view().session?.context.handedBack?.voucher?.amount).toBe(100);
    booth.send({ type: 'FINISH' });
    // The camera comes back by itself: the booth serves the next customer.
    await until(
      () => booth.view().waitingForCustomer && booth.devices.camera.status().ready,
      30_000,
      'back in service',
    );
  }, 120_000);

  it('unplugged between customers: out of service within 3 s, no money taken; replugged: back by itself', async () => {
    const booth = host.booth;
    await until(
      () => booth.view().waitingForCustomer && booth.devices.camera.status().ready,
      30_000,
      'ready',
    );
    const unplugged = Date.now();
    vcamera.setFault('unplug');
    // Between customers nothing streams: the camera's presence check (a USB listing every 2 s)
    // finds it gone, and the booth closes before anyone can pay.
    await until(() => booth.state.startsWith('outOfService'), 10_000, 'out of service');
    expect(Date.now() - unplugged).toBeLessThan(3_000);
    expect(booth.view().outOfServiceReason).toMatch(/camera/);
    expect(booth.devices.payment.status().accepting).toBe(false);
    vcamera.setFault(null);
    await until(() => booth.view().waitingForCustomer, 30_000, 'back in service');
    expect(booth.devices.camera.status().ready).toBe(true);
  }, 90_000);
});
