/**
 * The still's pixels, decoded once with sharp and shared by every check that looks at them:
 * RGB and luminance, EXIF-oriented like the face engine sees the image, scaled down only when
 * the image is very large (the checks work at face scale, never at the sensor's full size).
 */
import sharp, { type Sharp } from 'sharp';
import type { FaceImage } from '../engine/face-engine.ts';

export interface StillPixels {
  readonly width: number;
  readonly height: number;
  /** 3 bytes a pixel, row by row. */
  readonly rgb: Uint8Array;
  /** Luma (Rec. 601 weights on the sRGB values), 0..255, one byte a pixel. */
  readonly luma: Uint8Array;
  /** Pixels here per pixel of the image as given (1 unless the image was scaled down). */
  readonly scale: number;
}

/** Longer side of the decoded pixels; larger stills are scaled down (the face keeps plenty of pixels). */
export const MAX_DECODED_SIDE = 2000;

/** Decodes an image for the checks. Rejects when the bytes are not an image sharp can read. */
export async function decodeStill(image: FaceImage, maxSide = MAX_DECODED_SIDE): Promise<StillPixels> {
  let pipeline: Sharp;
  let givenWidth: number;
  if ('rgb' in image) {
    const { rgb, width, height } = image;
    if (rgb.length !== width * height * 3) {
      throw new RangeError(`raw RGB image of ${width}x${height} needs ${width * height * 3} bytes`);
    }
    if (Math.max(width, height) <= maxSide) return fromRgb(rgb, width, height, 1);
    givenWidth = width;
    pipeline = sharp(rgb, { raw: { width, height, channels: 3 } });
  } else {
    pipeline = sharp(image.data, { failOn: 'error' }).autoOrient();
    const meta = await sharp(image.data).metadata();
    if (!meta.width || !meta.height) throw new Error('not a readable image: no size');
    givenWidth = (meta.orientation ?? 1) >= 5 ? meta.height : meta.width;
  }
  const { data, info } = await pipeline
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not 3`);
  return fromRgb(
    new Uint8Array(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
    info.width / givenWidth,
  );
}

/** Wraps raw RGB pixels (computes the luma plane). */
export function fromRgb(rgb: Uint8Array, width: number, height: number, scale = 1): StillPixels {
  const n = width * height;
  const luma = new Uint8Array(n);
  // The length read once, not per pixel: this runs on every live frame (~0.7 ms for 640x424, not ~1.2).
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    luma[i] = Math.round(0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]!);
  }
  return { width, height, rgb, luma, scale };
}

/** Bilinear luma at a point in decoded pixels; NaN outside the image. */
export function lumaAt(pixels: StillPixels, x: number, y: number): number {
  const { width, height, luma } = pixels;
  if (!(x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1)) return Number.NaN;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const a = luma[y0 * width + x0]!;
  const b = luma[y0 * width + x1]!;
  const c = luma[y1 * width + x0]!;
  const d = luma[y1 * width + x1]!;
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}
