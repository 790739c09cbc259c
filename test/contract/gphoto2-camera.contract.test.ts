import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { SystemClock } from '../../core/clock.ts';
import { Gphoto2Camera } from '../../hardware/camera/gphoto2/adapter/gphoto2-camera.ts';
import { gphoto2Availability, vcameraPortraits } from '../hardware/gphoto2/vcamera-rig.ts';
import { prepareVirtualCamera } from '../tooling/vcamera/virtual-camera.ts';
import { describeCameraContract } from './camera-contract.ts';
import { realTime } from './device-time.ts';

/**
 * The Camera contract against the real gphoto2 adapter: its camera child, node-gphoto2 and
 * libgphoto2 driving libgphoto2's own virtual camera (a Nikon D750 over the vusb port driver,
 * test/tooling/vcamera), serving the demo portraits.
 */
const availability = gphoto2Availability();

if (!availability.available) {
  describe('Camera contract: Gphoto2Camera on the virtual camera', () => {
    it.skip(`skipped: ${availability.reason}`, () => {});
  });
} else {
  const root = join(process.cwd(), 'test-artifacts');
  mkdirSync(root, { recursive: true });
  let made = 0;

  describeCameraContract('Gphoto2Camera on the virtual camera', async () => {
    const dir = mkdtempSync(join(root, `gphoto2-contract-${++made}-`));
    const portraits = await vcameraPortraits(join(dir, 'portraits'));
    const vcamera = await prepareVirtualCamera({ dir: join(dir, 'vcamera'), portraits, liveViewFps: 30 });
    const scratchDir = join(dir, 'scratch');
    const device = new Gphoto2Camera({
      clock: new SystemClock(),
      scratchDir,
      env: vcamera.env,
      maxFps: 25,
      captureTimeoutMs: 8000,
      focusRetries: 2,
    });
    return {
      device,
      time: realTime(),
      teardown: async () => {
        // The adapter's children are gone and took their preview files with them.
        const left = existsSync(scratchDir) ? readdirSync(scratchDir) : [];
        rmSync(dir, { recursive: true, force: true });
        if (left.length > 0)
          throw new Error(`camera scratch folder not empty after close: ${left.join(', ')}`);
      },
    };
  });
}
