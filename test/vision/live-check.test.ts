// The live frame's check in the engine's worker (WorkerFaceEngine.checkLive): decoded once, there,
// with the same verdicts the main thread's pixel checks gave; and the coach, which only relays.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDecodedStill, type StillReport } from '../../app/services/vision/checks/check-still.ts';
import { CHECK_IDS } from '../../app/services/vision/checks/check-result.ts';
import { cropNeeds } from '../../app/services/vision/checks/crop-needs.ts';
import { limitsFor } from '../../app/services/vision/checks/limits.ts';
import { decodeStill } from '../../app/services/vision/checks/still-pixels.ts';
import type { LiveCheckRequest, LiveFrameChecker } from '../../app/services/vision/engine/live-check.ts';
import { WorkerFaceEngine } from '../../app/services/vision/engine/worker-face-engine.ts';
import { EnginePoseCoach } from '../../app/services/vision/live/engine-pose-coach.ts';
import { SimClock } from '../../core/sim-clock.ts';
import type { LiveFrame } from '../../hardware/camera/camera-port.ts';
import { portraitsDir, rotate, sideBySide } from './checks/perturb.ts';

const request: LiveCheckRequest = {
  needs: cropNeeds('eu-passport'),
  limits: limitsFor('eu-passport'),
  pixelsMaxSide: 640,
};
const portrait = (name: string) => readFile(path.join(portraitsDir, `${name}.jpg`));
const liveFrame = (image: Buffer, width: number) =>
  sharp(image).resize({ width }).jpeg({ quality: 85 }).toBuffer();

/** The main thread's way, as the coach did it before: analyse in the worker, decode here, check here. */
async function checkedOnTheMainThread(engine: WorkerFaceEngine, data: Buffer): Promise<StillReport> {
  const [analysis, pixels] = await Promise.all([
    engine.analyze({ data }, { mode: 'live' }),
    decodeStill({ data }, request.pixelsMaxSide),
  ]);
  return checkDecodedStill(pixels, analysis, request.needs, request.limits);
}

const verdicts = (report: StillReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.pass]));

describe('WorkerFaceEngine.checkLive on the real portraits', () => {
  // The detector on every frame: the same frame gives the same landmarks on either path, so the
  // two paths differ only in where the pixels were decoded and checked.
  let engine: WorkerFaceEngine;
  beforeAll(async () => {
    engine = await WorkerFaceEngine.start({ live: { cacheSensitivity: 0 } });
  }, 120_000);
  afterAll(() => engine?.close());

  const cases: Array<[string, () => Promise<Buffer>]> = [
    ...['test0', 'test1', 'test2', 'test3', 'test4'].map((name): [string, () => Promise<Buffer>] => [
      name,
      async () => liveFrame(await portrait(name), 640),
    ]),
    ['test0 tilted 15°', async () => liveFrame(await rotate(await portrait('test0'), 15), 640)],
    [
      'test1 and test3 side by side',
      async () => liveFrame(await sideBySide(await portrait('test1'), await portrait('test3')), 640),
    ],
  ];

  it.each(cases)(
    '%s, 640 wide: the same report as the main thread’s checks',
    async (_name, make) => {
      const data = await make();
      const before = await checkedOnTheMainThread(engine, data);
      const check = await engine.checkLive({ data }, request);
      const meta = await sharp(data).metadata();
      expect([check.width, check.height]).toEqual([meta.width, meta.height]);
      expect(check.report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
      // The same pixels (decoded by the same sharp calls) and the same landmarks: every value alike.
      expect(check.report).toEqual(before);
    },
    60_000,
  );

  it.each(['test0', 'test2', 'test3'])(
    '%s, 1000 wide: scaled down from the pixels decoded once, the same verdicts',
    async (name) => {
      const data = await liveFrame(await portrait(name), 1000);
      const before = await checkedOnTheMainThread(engine, data);
      const check = await engine.checkLive({ data }, request);
      expect(check.width).toBe(1000);
      expect(verdicts(check.report)).toEqual(verdicts(before));
      // Scaling decoded pixels or the JPEG itself rounds a little differently: values stay close.
      for (const c of check.report.checks) {
        const was = before.checks.find((b) => b.id === c.id)!;
        if (c.value === null || was.value === null) expect(c.value).toBe(was.value);
        else
          expect(Math.abs(c.value - was.value)).toBeLessThanOrEqual(
            Math.max(0.05 * Math.abs(was.value), 0.5),
          );
      }
    },
    60_000,
  );

  it('decodes each frame once, in the worker, and counts it as analysed and checked', async () => {
    const data = await liveFrame(await portrait('test0'), 640);
    const before = await engine.stats();
    for (let i = 0; i < 3; i++) await engine.checkLive({ data }, request);
    const after = await engine.stats();
    expect(after.decodes - before.decodes).toBe(3);
    expect(after.checked - before.checked).toBe(3);
    expect(after.analysed - before.analysed).toBe(3);
    // The analysis alone decodes once too; stills and live frames alike.
    await engine.analyze({ data }, { mode: 'live' });
    expect((await engine.stats()).decodes - after.decodes).toBe(1);
  }, 60_000);

  it('a corrupt frame is an image error, and the next frame is checked', async () => {
    await expect(engine.checkLive({ data: Buffer.from('not a jpeg') }, request)).rejects.toMatchObject({
      code: 'image-corrupt',
    });
    const check = await engine.checkLive({ data: await liveFrame(await portrait('test0'), 640) }, request);
    expect(check.report.face).not.toBeNull();
    expect(check.timings.checks).toBeGreaterThan(0);
  }, 60_000);
});

describe('EnginePoseCoach relays each frame to the engine’s check', () => {
  it('hands the camera’s bytes over untouched and decodes nothing itself', async () => {
    // Not an image: a coach that decoded the frame itself would fail on it and ask to wait.
    const data = Buffer.from('the camera’s JPEG, as the engine receives it');
    const seen: Array<{ data: Buffer | Uint8Array; request: LiveCheckRequest }> = [];
    const engine: LiveFrameChecker = {
      checkLive: async (image, req) => {
        if (!('data' in image)) throw new Error('the coach sends the encoded frame');
        seen.push({ data: image.data, request: req });
        return {
          width: 640,
          height: 424,
          backend: 'test',
          ms: 1,
          timings: { decode: 0, inference: 0, checks: 0 },
          report: {
            verdict: 'fail',
            face: null,
            checks: CHECK_IDS.map((id) => ({
              id,
              pass: id !== 'face.single',
              value: null,
              limit: 1,
              message: 'test',
              ...(id === 'face.single' ? { hint: 'hint.onlyOnePerson' as const } : {}),
            })),
          },
        };
      },
    };
    const coach = new EnginePoseCoach({ engine, clock: new SimClock(), spec: 'eu-passport', maxSide: 480 });
    const frame: LiveFrame = { seq: 1, at: 0, width: 640, height: 424, mime: 'image/jpeg', data };
    const update = await coach.analyze(frame);
    expect(update.hint).toBe('hint.onlyOnePerson');
    expect(seen).toHaveLength(1);
    expect(Buffer.from(seen[0]!.data).equals(data)).toBe(true);
    expect(seen[0]!.request).toMatchObject({ pixelsMaxSide: 480, needs: { specId: 'eu-passport' } });
    // The camera's buffer stays the caller's (the screen shows the frame after it is coached).
    expect(frame.data.length).toBe(data.length);
  });
});
