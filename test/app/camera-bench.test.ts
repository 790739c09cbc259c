// The camera's figures in `kiosk bench`: measured on libgphoto2's virtual D750 through the
// gphoto2 adapter where it is built, skipped with the reason where it is not, and a skipped
// figure is no miss for the exit code while a broken measurement is. No speed is asserted here
// (that is the bench's job, on a quiet machine).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missedLines, type BenchLine } from '../../app/bench/bench-figure.ts';
import { benchCamera, cameraFigureNames } from '../../app/bench/camera-bench.ts';
import { gphoto2VirtualCameraAvailability } from '../../hardware/camera/gphoto2/virtual-camera.ts';

const availability = gphoto2VirtualCameraAvailability();
if (!availability.available)
  console.log(`camera bench on the virtual camera skipped: ${availability.reason}`);

mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
const dir = mkdtempSync(join(process.cwd(), 'test-artifacts', 'camera-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Measured = Extract<BenchLine, { value: number }>;
const detail = (line: BenchLine | undefined) => (line as Measured).detail as Record<string, unknown>;

describe('the camera bench', () => {
  it('without the virtual camera, each camera figure is a skipped line that says why', async () => {
    const lines = await benchCamera({
      work: join(dir, 'none'),
      availability: { available: false, reason: 'build/vcamera/iolibs/vusb.so is not built' },
    });
    expect(lines).toEqual(
      [
        cameraFigureNames.fps,
        cameraFigureNames.coaching,
        cameraFigureNames.capture,
        cameraFigureNames.respawn,
      ].map((name) => ({
        name,
        skipped: 'no virtual camera here: build/vcamera/iolibs/vusb.so is not built',
      })),
    );
    expect(missedLines(lines)).toEqual([]);
  });

  it('a missed target and a broken measurement fail the bench; a skipped figure does not', () => {
    const lines: BenchLine[] = [
      { name: 'a', value: 1, unit: 'ms', target: '<= 2', ok: true },
      { name: 'b', value: 3, unit: 'ms', target: '<= 2', ok: false },
      { name: 'c', skipped: 'no camera' },
      { name: 'd', ok: false, error: 'no live view frame within 20 s' },
    ];
    expect(missedLines(lines).map((l) => l.name)).toEqual(['b', 'd']);
  });

  it.skipIf(!availability.available)(
    'on the virtual D750: live view frames counted, frame-to-hint latency, a still in the vault, a respawn timed',
    async () => {
      const lines = await benchCamera({
        work: join(dir, 'vcamera'),
        liveViewSeconds: 1,
        coachingSeconds: 1,
        captures: 1,
        kills: 1,
      });
      const byName = new Map(lines.map((l) => [l.name, l]));
      expect([...byName.keys()]).toEqual([
        cameraFigureNames.fps,
        cameraFigureNames.coaching,
        cameraFigureNames.capture,
        cameraFigureNames.respawn,
      ]);
      for (const line of lines) {
        expect(line).not.toHaveProperty('error');
        expect(line).not.toHaveProperty('skipped');
        expect((line as Measured).value).toBeGreaterThanOrEqual(0);
        expect((line as Measured).target).toMatch(/^(<=|>=) \d/);
      }
      expect(detail(byName.get(cameraFigureNames.fps))).toMatchObject({
        frames: expect.any(Number),
        dropped: expect.any(Number),
        maxFps: 25,
        width: 600,
        height: 800,
      });
      expect((byName.get(cameraFigureNames.fps) as Measured).value).toBeGreaterThan(0);
      expect(detail(byName.get(cameraFigureNames.fps))['frames']).toBeGreaterThan(0);
      const coaching = detail(byName.get(cameraFigureNames.coaching));
      expect(coaching['frames']).toBeGreaterThan(0);
      expect(coaching['p50Ms']).toBeGreaterThanOrEqual(0);
      // The still from the camera's card, sealed into the vault.
      expect(detail(byName.get(cameraFigureNames.capture))).toMatchObject({
        captures: 1,
        width: 600,
        height: 800,
      });
      const respawn = detail(byName.get(cameraFigureNames.respawn));
      expect(respawn['firstFrameMs']).toHaveLength(1);
      console.log(
        `camera bench, short run on the virtual D750: ${lines.map((l) => JSON.stringify(l)).join('\n')}`,
      );
    },
    90_000,
  );
});
