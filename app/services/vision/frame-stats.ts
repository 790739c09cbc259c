import sharp from 'sharp';
import { ImageError } from './image-error.ts';

/** A tiny grey thumbnail of an image and its mean brightness: enough for exposure and motion. */
export interface FrameStats {
  readonly width: number;
  readonly height: number;
  readonly grey: Uint8Array;
  readonly meanLuma: number;
  /** Share of very dark (< 16) and clipped (> 245) pixels. */
  readonly darkShare: number;
  readonly clippedShare: number;
}

const side = 32;

/**
 * Stats of image buffers already decoded, by the buffer itself. A camera that hands the same
 * buffer again (the simulator loops a few pre-rendered frames; a stalled camera repeats its last
 * one) costs no second decode; a buffer is immutable here, and a WeakMap lets it go with the frame.
 */
const known = new WeakMap<Buffer, Promise<FrameStats>>();

/** Decodes an image (any format sharp reads). Rejects with a clear error on corrupt data. */
export function frameStats(image: Buffer): Promise<FrameStats> {
  let stats = known.get(image);
  if (!stats) {
    stats = decodeStats(image);
    known.set(image, stats);
    // A failure is not remembered: the error is the caller's, and the next try decodes again.
    stats.catch(() => known.delete(image));
  }
  return stats;
}

async function decodeStats(image: Buffer): Promise<FrameStats> {
  const input = sharp(image, { failOn: 'error' });
  const meta = await input.metadata().catch((error: unknown) => {
    throw new ImageError('image-corrupt', `not a readable image: ${(error as Error).message}`);
  });
  const grey = await input
    .resize(side, side, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer()
    .catch((error: unknown) => {
      throw new ImageError('image-corrupt', `not a readable image: ${(error as Error).message}`);
    });
  let sum = 0;
  let dark = 0;
  let clipped = 0;
  for (const v of grey) {
    sum += v;
    if (v < 16) dark++;
    if (v > 245) clipped++;
  }
  return {
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    grey: new Uint8Array(grey),
    meanLuma: sum / grey.length,
    darkShare: dark / grey.length,
    clippedShare: clipped / grey.length,
  };
}

/** Mean absolute difference of two thumbnails, 0 (same) to 255. */
export function motionBetween(a: FrameStats, b: FrameStats): number {
  let diff = 0;
  for (let i = 0; i < a.grey.length; i++) diff += Math.abs(a.grey[i]! - b.grey[i]!);
  return diff / a.grey.length;
}
