import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKiosk } from '../support/run-kiosk.ts';
import { gphoto2Availability, vcameraPortraits } from '../hardware/gphoto2/vcamera-rig.ts';
import { prepareVirtualCamera, type VirtualCamera } from '../tooling/vcamera/virtual-camera.ts';

const availability = gphoto2Availability();
if (!availability.available) console.log(`kiosk camera probe tests skipped: ${availability.reason}`);

describe('kiosk camera probe', () => {
  it('is called with a subcommand and a libgphoto2 port', async () => {
    expect((await runKiosk(['camera'])).code).toBe(2);
    expect((await runKiosk(['camera', 'snap'])).stderr).toMatch(/unknown camera subcommand "snap"/);
    expect((await runKiosk(['camera', 'probe', '--port', '/dev/video0'])).code).toBe(2);
  });

  describe.skipIf(!availability.available)('on the virtual camera', () => {
    let dir: string;
    let vcamera: VirtualCamera;
    beforeAll(async () => {
      mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
      dir = mkdtempSync(join(process.cwd(), 'test-artifacts', 'camera-probe-'));
      const portraits = await vcameraPortraits(join(dir, 'portraits'));
      vcamera = await prepareVirtualCamera({ dir: join(dir, 'vcamera'), portraits });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const probe = (fault: 'unplug' | 'claim' | null, ...args: string[]) => {
      vcamera.setFault(fault);
      return runKiosk(['camera', 'probe', '--data-dir', join(dir, 'data'), ...args], {
        env: { ...process.env, ...vcamera.env },
      });
    };

    it('names the camera and what it says of itself, with the unit config, as one JSON object', async () => {
      const { code, stdout, stderr } = await probe(null);
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const report = JSON.parse(lines[0]!);
      expect(report).toMatchObject({
        found: true,
        model: 'Nikon DSC D750',
        port: 'usb:001,001',
        manufacturer: 'Nikon Corporation',
        serial: expect.any(String),
        battery: expect.any(String),
        settings: expect.objectContaining({ capturetarget: expect.any(String) }),
        ms: { start: expect.any(Number), detect: expect.any(Number), summary: expect.any(Number) },
        config: { adapter: 'simulated' },
      });
      // The unit's camera is the simulator here: said on stderr, not in the JSON.
      expect(stderr).toMatch(/the unit's camera is "simulated"/);
      // The camera child took its files with it.
      expect(readdirSync(join(dir, 'data', 'camera-scratch'))).toEqual([]);
    });

    it('finds the camera on the port asked for, and none on another (exit 1)', async () => {
      expect((await probe(null, '--port', 'usb:001,001')).code).toBe(0);
      const other = await probe(null, '--port', 'usb:002,009');
      expect(other.code).toBe(1);
      expect(JSON.parse(other.stdout)).toMatchObject({
        found: false,
        port: 'usb:002,009',
        reason: 'disconnected',
        gpCode: -52,
      });
    });

    it('says disconnected when unplugged and claimed-by-another-process when held (exit 1)', async () => {
      const unplugged = await probe('unplug');
      expect(unplugged.code).toBe(1);
      expect(JSON.parse(unplugged.stdout)).toMatchObject({
        found: false,
        reason: 'disconnected',
        gpCode: -52,
      });
      const claimed = await probe('claim');
      expect(claimed.code).toBe(1);
      expect(JSON.parse(claimed.stdout)).toMatchObject({
        found: false,
        reason: 'claimed-by-another-process',
        gpCode: -53,
        message: expect.stringMatching(/opening Nikon DSC D750 on usb:001,001/),
      });
      expect(claimed.stderr).toMatch(/gvfs/);
    });

    it('camera capture writes the still (owner only) and camera liveview measures the stream', async () => {
      vcamera.setFault(null);
      const env = { ...process.env, ...vcamera.env };
      const data = join(dir, 'data');
      const out = join(dir, 'shot.jpg');
      const shot = await runKiosk(['camera', 'capture', '--out', out, '--data-dir', data], { env });
      expect(shot.code).toBe(0);
      const taken = JSON.parse(shot.stdout) as { file: string; width: number; bytes: number };
      expect(taken).toMatchObject({ file: out, width: expect.any(Number), bytes: statSync(out).size });
      expect(readFileSync(out).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const live = await runKiosk(['camera', 'liveview', '--seconds', '2', '--data-dir', data], { env });
      expect(live.code).toBe(0);
      const watched = JSON.parse(live.stdout) as { frames: number; fps: number; width: number };
      expect(watched.frames).toBeGreaterThan(0);
      expect(watched.fps).toBeGreaterThan(0);
      expect(watched.width).toBeGreaterThan(0);
      // Unplugged: no camera gets ready, and the command says so.
      vcamera.setFault('unplug');
      const none = await runKiosk(['camera', 'capture', '--out', out + '.2', '--data-dir', data], { env });
      vcamera.setFault(null);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/no camera ready/);
      expect((await runKiosk(['camera', 'capture', '--data-dir', data], { env })).stderr).toMatch(
        /--out FILE/,
      );
    }, 90_000);
  });
});
