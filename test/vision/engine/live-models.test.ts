// The short-range face detector of live frames (close-range-detector.ts) on the real portraits,
// compared with the long-range one it replaces there.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDecodedStill } from '../../../app/services/vision/checks/check-still.ts';
import { cropNeeds } from '../../../app/services/vision/checks/crop-needs.ts';
import { limitsFor } from '../../../app/services/vision/checks/limits.ts';
import { decodeStill } from '../../../app/services/vision/checks/still-pixels.ts';
import type { FaceAnalysis } from '../../../app/services/vision/engine/face-engine.ts';
import { WorkerFaceEngine } from '../../../app/services/vision/engine/worker-face-engine.ts';
import { portraitsDir, sideBySide } from '../checks/perturb.ts';

const portrait = (name: string) => readFile(path.join(portraitsDir, `${name}.jpg`));
const liveFrame = (image: Buffer, width = 640) =>
  sharp(image).resize({ width }).jpeg({ quality: 85 }).toBuffer();
const names = ['test0', 'test1', 'test2', 'test3', 'test4'];

// The detector on every live frame, so each frame is a fresh detection on both engines.
let fast: WorkerFaceEngine;
let plain: WorkerFaceEngine;
beforeAll(async () => {
  [fast, plain] = await Promise.all([
    WorkerFaceEngine.start({ live: { cacheSensitivity: 0 } }),
    WorkerFaceEngine.start({
      live: { cacheSensitivity: 0 },
      liveDetector: 'long-range',
    }),
  ]);
}, 180_000);
afterAll(async () => {
  await Promise.all([fast?.close(), plain?.close()]);
});

describe('the short-range detector for live frames', () => {
  it('runs on live frames; stills keep the long-range one', async () => {
    const data = await liveFrame(await portrait('test0'));
    const before = (await fast.stats()).detectorRuns;
    await fast.analyze({ data }, { mode: 'live' });
    const afterLive = (await fast.stats()).detectorRuns;
    expect(afterLive.shortRange - before.shortRange).toBe(1);
    expect(afterLive.longRange).toBe(before.longRange);
    await fast.analyze({ data }, { mode: 'still' });
    const afterStill = (await fast.stats()).detectorRuns;
    expect(afterStill.longRange - afterLive.longRange).toBe(1);
    expect(afterStill.shortRange).toBe(afterLive.shortRange);
    // Told to, the engine keeps the long-range detector for live frames too.
    const plainBefore = (await plain.stats()).detectorRuns;
    await plain.analyze({ data }, { mode: 'live' });
    const plainAfter = (await plain.stats()).detectorRuns;
    expect(plainAfter.shortRange).toBe(0);
    expect(plainAfter.longRange - plainBefore.longRange).toBe(1);
  }, 60_000);

  const near = (a: FaceAnalysis, b: FaceAnalysis) => {
    expect(a.faces).toHaveLength(b.faces.length);
    const sorted = (r: FaceAnalysis) => [...r.faces].sort((x, y) => x.box[0] - y.box[0]);
    sorted(a).forEach((face, i) => {
      const other = sorted(b)[i]!;
      face.box.forEach((v, k) => expect(Math.abs(v - other.box[k]!)).toBeLessThan(0.03 * a.width));
    });
  };

  it.each(names)(
    '%s: the same face, in the same place, with the same verdicts',
    async (name) => {
      const data = await liveFrame(await portrait(name));
      const [a, b] = await Promise.all([
        fast.analyze({ data }, { mode: 'live' }),
        plain.analyze({ data }, { mode: 'live' }),
      ]);
      near(a, b);
      const pixels = await decodeStill({ data }, 640);
      const pass = (r: FaceAnalysis) =>
        checkDecodedStill(pixels, r, cropNeeds('eu-passport'), limitsFor('eu-passport')).checks.map(
          (c) => `${c.id} ${c.pass}`,
        );
      expect(pass(a)).toEqual(pass(b));
    },
    60_000,
  );

  it('two people side by side: both found', async () => {
    const data = await liveFrame(await sideBySide(await portrait('test0'), await portrait('test2')), 960);
    const [a, b] = await Promise.all([
      fast.analyze({ data }, { mode: 'live' }),
      plain.analyze({ data }, { mode: 'live' }),
    ]);
    expect(a.faces).toHaveLength(2);
    near(a, b);
  }, 60_000);
});
