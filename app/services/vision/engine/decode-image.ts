/** Turns a wire image (encoded or raw RGB) into the raw RGB the worker's models read. */
import sharp, { type Sharp } from 'sharp';
import { FaceEngineError } from './face-engine.ts';
import type { WireImage } from './worker-protocol.ts';
import { firstLine } from './worker-wording.ts';

export interface Decoded {
  readonly rgb: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly givenWidth: number;
  readonly givenHeight: number;
}

const corrupt = (error: unknown): FaceEngineError =>
  new FaceEngineError('image-corrupt', `not a readable image: ${firstLine(error)}`);

/** Decodes to raw RGB (EXIF-oriented), scaled down so the longer side is at most `maxSide`. */
export async function decode(image: WireImage, maxSide: number): Promise<Decoded> {
  let pipeline: Sharp;
  let givenWidth: number;
  let givenHeight: number;
  if (image.kind === 'rgb') {
    const { rgb, width, height } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new FaceEngineError('image-invalid', `raw image size ${width}x${height} is not valid`);
    }
    if (rgb.length !== width * height * 3) {
      throw new FaceEngineError(
        'image-invalid',
        `raw RGB image of ${width}x${height} needs ${width * height * 3} bytes, got ${rgb.length}`,
      );
    }
    if (Math.max(width, height) <= maxSide) {
      return { rgb, width, height, givenWidth: width, givenHeight: height };
    }
    givenWidth = width;
    givenHeight = height;
    pipeline = sharp(rgb, { raw: { width, height, channels: 3 } });
  } else {
    if (image.data.length === 0) throw new FaceEngineError('image-invalid', 'the image is empty (0 bytes)');
    pipeline = sharp(image.data, { failOn: 'error' });
    const meta = await pipeline.metadata().catch((error: unknown) => {
      throw corrupt(error);
    });
    if (!meta.width || !meta.height)
      throw new FaceEngineError('image-corrupt', 'not a readable image: no size');
    const swap = (meta.orientation ?? 1) >= 5;
    givenWidth = swap ? meta.height : meta.width;
    givenHeight = swap ? meta.width : meta.height;
    pipeline = pipeline.autoOrient();
  }
  if (Math.max(givenWidth, givenHeight) > maxSide) {
    pipeline = pipeline.resize(
      givenWidth >= givenHeight ? { width: maxSide, fit: 'inside' } : { height: maxSide, fit: 'inside' },
    );
  }
  const { data, info } = await pipeline
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw corrupt(error);
    });
  if (info.channels !== 3)
    throw new FaceEngineError('image-invalid', `decoded to ${info.channels} channels, not 3`);
  return { rgb: data, width: info.width, height: info.height, givenWidth, givenHeight };
}
