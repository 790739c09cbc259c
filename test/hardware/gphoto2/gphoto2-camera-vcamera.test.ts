import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.ts';
import type { CameraStatus, LiveFrame, LiveView } from '../../../hardware/camera/camera-port.ts';
import { Gphoto2Camera } from '../../../hardware/camera/gphoto2/adapter/gphoto2-camera.ts';
import { expectDeviceError, looksLikeJpeg, realTime } from '../../contract/device-time.ts';
import { prepareVirtualCamera, type VirtualCamera } from '../../tooling/vcamera/virtual-camera.ts';
import { gphoto2Availability, vcameraPortraits } from './vcamera-rig.ts';

/**
 * The gphoto2 adapter on libgphoto2's virtual D750 (test/tooling/vcamera) when things go wrong:
 * the fault hook unplugs it or has another process claim it, and the camera child is killed -9.
 * The booth must hear it in the status, fail what was running with a DeviceError, and get the
 * camera back by itself. Budgets are generous and no speed is asserted (a loaded CI machine is
 * slow); what this machine measured is printed, for the benchmark to hold to.
 */
const availability = gphoto2Availability();
if (!availability.available) console.log(`gphoto2 virtual camera tests skipped: ${availability.reason}`);

const time = realTime(5);

describe.skipIf(!availability.available)('Gphoto2Camera on the virtual camera', () => {
  let dir: string;
  let portraits: string[];
  let vcamera: VirtualCamera;
  let camera: Gphoto2Camera;
  let heard: CameraStatus[];

  beforeAll(async () => {
    mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
    dir = mkdtempSync(join(process.cwd(), 'test-artifacts', 'gphoto2-vcamera-'));
    portraits = await vcameraPortraits(join(dir, 'portraits'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let made = 0;
  async function openCamera(liveViewFps = 30, captureSettings: Record<string, string> = {}): Promise<void> {
    vcamera = await prepareVirtualCamera({ dir: join(dir, `vcamera-${++made}`), portraits, liveViewFps });
    camera = new Gphoto2Camera({
      clock: new SystemClock(),
      scratchDir: join(dir, `scratch-${made}`),
      env: vcamera.env,
      maxFps: 25,
      captureTimeoutMs: 8000,
      focusRetries: 2,
      captureSettings,
    });
    heard = [];
    camera.onStatus((s) => heard.push(s));
    await camera.open();
  }
  afterEach(async () => {
    vcamera.setFault(null);
    await camera.close();
  });

  const frame = async (view: LiveView): Promise<LiveFrame> => {
    const f = await time.settle(view.next(), 15_000);
    expect(looksLikeJpeg(f.data)).toBe(true);
    return f;
  };
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

  it('streams at the camera pace capped by maxFps, and captures the full-size JPEG the camera holds', async () => {
    await openCamera(30);
    expect(camera.status()).toEqual({ online: true, ready: true, reasons: [] });
    expect(camera.detected).toEqual({ model: 'Nikon DSC D750', port: 'usb:001,001' });
    expect(camera.lastSummary).toMatchObject({
      manufacturer: 'Nikon Corporation',
      serial: expect.any(String),
    });

    const view = await camera.startLiveView();
    const first = await frame(view);
    const t0 = performance.now();
    let last = first;
    while (performance.now() - t0 < 3000) last = await frame(view);
    const fps = ((last.seq - first.seq) * 1000) / (performance.now() - t0);
    // Paced: the camera serves 30 a second, the adapter asks for at most 25.
    expect(fps).toBeLessThanOrEqual(27);
    // The helper serves the portraits at most 640 wide: these are 600 x 800.
    expect({ width: last.width, height: last.height }).toEqual({ width: 600, height: 800 });

    const captures: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const still = await time.settle(camera.captureStill(), 20_000);
      captures.push(performance.now() - started);
      expect((await sharp(still.data).metadata()).width).toBe(600);
      expect(still.width).toBe(600);
    }
    // Live view comes back after the still.
    const after = await frame(view);
    expect(after.seq).toBeGreaterThan(last.seq);
    console.log(
      `gphoto2 on the virtual D750: live view ${fps.toFixed(1)} fps (maxFps 25, camera 30), ` +
        `capture to buffer ${captures.map(seconds).join(', ')} (live view running)`,
    );
  });

  it('sets the configured capture settings before the trigger; a setting the camera refuses fails the capture by name', async () => {
    await openCamera(30, { 'f-number': 'f/5.6' });
    expect((await camera.summary()).settings['f-number']).toBe('f/2.8');
    await time.settle(camera.captureStill(), 20_000);
    expect((await camera.summary()).settings['f-number']).toBe('f/5.6');
    await camera.close();

    // A name this camera does not have (a typo, another maker's name) is refused by libgphoto2.
    await openCamera(30, { 'f-numbr': 'f/8' });
    const refused = await expectDeviceError(camera.captureStill(), 'camera');
    expect(refused.message).toMatch(/capture setting f-numbr = f\/8/);
  });

  it('unplugged during live view (fault hook): offline within 3 s, the view fails, and replugged it is back without a restart', async () => {
    await openCamera();
    const view = await camera.startLiveView();
    await frame(view);
    const unpluggedAt = performance.now();
    vcamera.setFault('unplug');
    await expectDeviceError(time.settle(view.next(), 15_000), 'camera', 'disconnected');
    expect(await time.until(() => !camera.status().online, 15_000)).toBe(true);
    const offlineAfter = performance.now() - unpluggedAt;
    expect(camera.status()).toEqual({ online: false, ready: false, reasons: ['disconnected'] });
    await expectDeviceError(camera.captureStill(), 'camera', 'disconnected');

    // Still gone after a few restarts: it stays out of service.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(camera.status().online).toBe(false);

    const repluggedAt = performance.now();
    vcamera.setFault(null);
    expect(await time.until(() => camera.status().online, 20_000)).toBe(true);
    const onlineAfter = performance.now() - repluggedAt;
    const again = await camera.startLiveView();
    await frame(again);
    expect(looksLikeJpeg((await time.settle(camera.captureStill(), 20_000)).data)).toBe(true);
    expect(heard.map((s) => s.reasons[0] ?? 'ok')).toEqual(['ok', 'disconnected', 'ok']);
    console.log(
      `gphoto2 unplug: offline ${seconds(offlineAfter)} after the unplug; ` +
        `online ${seconds(onlineAfter)} after the replug (backoff 0.5, 1, 2, 5 s)`,
    );
    // Out of service within 3 s of the unplug, as the booth promises (only loosely checked
    // here: the libgphoto2 call that sees the unplug is the next frame's, 40 ms away).
    expect(offlineAfter).toBeLessThan(3000);
  });

  it('claimed by another process (fault hook -53): reason claimed-by-another-process, back when it lets go', async () => {
    await openCamera();
    vcamera.setFault('claim');
    // The claim shows when the camera is next opened: after a loss, or at the booth's start.
    await camera.close();
    await camera.open();
    expect(camera.status()).toEqual({ online: false, ready: false, reasons: ['claimed-by-another-process'] });
    await expectDeviceError(camera.startLiveView(), 'camera', 'claimed-by-another-process');
    expect(camera.lastFailure).toMatch(/-53/);
    vcamera.setFault(null);
    expect(await time.until(() => camera.status().online, 20_000)).toBe(true);
    await frame(await camera.startLiveView());
  });

  it('the camera child killed -9 during live view: the view rejects, offline, a new child streams again', async () => {
    await openCamera();
    const view = await camera.startLiveView();
    await frame(view);
    const pid = camera.childPid!;
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    const error = await expectDeviceError(time.settle(view.next(), 15_000), 'camera', 'disconnected');
    expect(error.message).toMatch(/SIGKILL/);
    expect(camera.status().online).toBe(false);
    expect(await time.until(() => camera.status().online, 20_000)).toBe(true);
    const onlineAfter = performance.now() - killedAt;
    expect(camera.childPid).not.toBe(pid);
    const again = await camera.startLiveView();
    await frame(again);
    const firstFrameAfter = performance.now() - killedAt;
    console.log(
      `gphoto2 child SIGKILL: online again ${seconds(onlineAfter)}, first new frame ${seconds(firstFrameAfter)} ` +
        `after the kill (0.5 s of it the first restart wait)`,
    );
  });
});
