import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  encodeDigitalJpeg,
  encodeWithinBytes,
  type DigitalFile,
  type RgbImage,
} from '../../app/services/production/digital-file.ts';

const portrait = '/work/shared/fixtures/portraits/test0.jpg';

let image: RgbImage;

beforeAll(async () => {
  const { data, info } = await sharp(portrait)
    .resize(600, 600)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  image = { data, width: info.width, height: info.height, channels: 3 };
});

/** The file is a real 600x600 baseline JPEG with an sRGB profile, and `bytes` is its length. */
async function expectRealJpeg(file: DigitalFile): Promise<void> {
  expect(file.bytes).toBe(file.jpeg.length);
  const meta = await sharp(file.jpeg).metadata();
  expect(meta).toMatchObject({
    format: 'jpeg',
    width: 600,
    height: 600,
    isProgressive: false,
    hasProfile: true,
  });
  const { info } = await sharp(file.jpeg).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([600, 600]);
}

/** No higher quality (up to the cap searched) would still be at most `max`. */
async function expectHighestUnder(file: DigitalFile, max: number, cap: number): Promise<void> {
  if (file.quality >= cap) return;
  const next = await encodeDigitalJpeg(image, file.quality + 1);
  expect(next.length).toBeGreaterThan(max);
}

describe('encodeWithinBytes', () => {
  it('a generous range: quality 95, the usual cap', async () => {
    const file = await encodeWithinBytes(image, { min: 1, max: 240_000 });
    expect(file).toMatchObject({ quality: 95, fits: true });
    expect(file.bytes).toBeLessThanOrEqual(240_000);
    await expectRealJpeg(file);
    expect((await sharp(file.jpeg).metadata()).chromaSubsampling).toBe('4:2:0');
  });

  it('10-30 kB: the highest quality at most 30 kB', async () => {
    const file = await encodeWithinBytes(image, { min: 10_000, max: 30_000 });
    expect(file.fits).toBe(true);
    expect(file.bytes).toBeGreaterThanOrEqual(10_000);
    expect(file.bytes).toBeLessThanOrEqual(30_000);
    expect(file.quality).toBeGreaterThanOrEqual(40);
    expect(file.quality).toBeLessThan(95);
    await expectRealJpeg(file);
    await expectHighestUnder(file, 30_000, 95);
  });

  it('a range only above the usual cap: a higher quality that reaches the minimum', async () => {
    const at95 = (await encodeDigitalJpeg(image, 95)).length;
    const at100 = (await encodeDigitalJpeg(image, 100)).length;
    const range = { min: at95 + 1, max: Math.round((at95 + at100) / 2) };
    const file = await encodeWithinBytes(image, range);
    expect(file.fits).toBe(true);
    expect(file.quality).toBeGreaterThan(95);
    await expectRealJpeg(file);
    await expectHighestUnder(file, range.max, 100);
  });

  it('an impossible maximum: not fitting, at the lowest quality allowed', async () => {
    const file = await encodeWithinBytes(image, { min: 1, max: 2_000 });
    expect(file).toMatchObject({ fits: false, quality: 40 });
    expect(file.bytes).toBeGreaterThan(2_000);
    await expectRealJpeg(file);
  });

  it('an impossible minimum: not fitting, at quality 100, the largest it can be', async () => {
    const file = await encodeWithinBytes(image, { min: 2_000_000, max: 5_000_000 });
    expect(file).toMatchObject({ fits: false, quality: 100 });
    expect(file.bytes).toBeLessThan(2_000_000);
    await expectRealJpeg(file);
  });

  it('follows minQuality and maxQuality', async () => {
    const capped = await encodeWithinBytes(image, { min: 1, max: 240_000 }, { maxQuality: 85 });
    expect(capped.quality).toBe(85);
    const floor = await encodeWithinBytes(image, { min: 1, max: 2_000 }, { minQuality: 60 });
    expect(floor).toMatchObject({ fits: false, quality: 60 });
  });

  it('says what was wrong with the input', async () => {
    await expect(encodeWithinBytes(image, { min: 30_000, max: 10_000 })).rejects.toMatchObject({
      code: 'invalid-byte-range',
      message: expect.stringContaining('30000..10000'),
    });
    await expect(
      encodeWithinBytes({ ...image, data: image.data.subarray(1) }, { min: 1, max: 240_000 }),
    ).rejects.toMatchObject({ code: 'invalid-image' });
    await expect(
      encodeWithinBytes(image, { min: 1, max: 240_000 }, { minQuality: 90, maxQuality: 80 }),
    ).rejects.toMatchObject({ code: 'invalid-quality' });
  });
});
