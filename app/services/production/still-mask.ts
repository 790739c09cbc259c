/**
 * The person's mask over the part of a still around the head, for finding the crown: the region
 * is cut out and scaled down before segmentation (the model sees a few hundred pixels anyway),
 * and the sampler maps still pixels into it.
 */
import sharp from 'sharp';
import type { FaceImage } from '../vision/engine/face-engine.ts';
import type { Pt } from '../vision/checks/face-geometry.ts';
import type { MaskSampler } from './head-landmarks.ts';

/** What production needs of the face engine's segmentation. */
export interface PersonSegmenter {
  segment(
    image: FaceImage,
    options?: { maxSide?: number },
  ): Promise<{ width: number; height: number; alpha: Uint8Array }>;
}

export interface Region {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Long side of the region as the segmenter gets it. */
const REGION_SIDE = 640;

export async function maskAroundHead(
  segmenter: PersonSegmenter,
  still: Buffer,
  image: { width: number; height: number },
  region: Region,
): Promise<MaskSampler> {
  const k = Math.min(1, REGION_SIDE / Math.max(region.width, region.height));
  const width = Math.max(1, Math.round(region.width * k));
  const height = Math.max(1, Math.round(region.height * k));
  const rgb = await sharp(still, { failOn: 'error' })
    .autoOrient()
    .extract(region)
    .resize(width, height, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  const mask = await segmenter.segment({ rgb, width, height });
  return samplerOver(mask, region, image);
}

/** A sampler over a mask that covers `region` of the still. */
export function samplerOver(
  mask: { width: number; height: number; alpha: Uint8Array },
  region: Region,
  image: { width: number; height: number },
): MaskSampler {
  const sx = mask.width / region.width;
  const sy = mask.height / region.height;
  return {
    step: 1 / Math.min(sx, sy),
    alphaAt([x, y]: Pt) {
      if (x < 0 || y < 0 || x >= image.width || y >= image.height) return null;
      const mx = Math.floor((x - region.left) * sx);
      const my = Math.floor((y - region.top) * sy);
      if (mx < 0 || my < 0 || mx >= mask.width || my >= mask.height) return null;
      return mask.alpha[my * mask.width + mx]!;
    },
    smoothAlphaAt([x, y]: Pt) {
      if (x < 0 || y < 0 || x >= image.width || y >= image.height) return null;
      const fx = (x - region.left) * sx - 0.5;
      const fy = (y - region.top) * sy - 0.5;
      if (fx < -1 || fy < -1 || fx > mask.width || fy > mask.height) return null;
      const cx = Math.min(mask.width - 1, Math.max(0, fx));
      const cy = Math.min(mask.height - 1, Math.max(0, fy));
      const x0 = Math.floor(cx);
      const y0 = Math.floor(cy);
      const x1 = Math.min(x0 + 1, mask.width - 1);
      const y1 = Math.min(y0 + 1, mask.height - 1);
      const tx = cx - x0;
      const ty = cy - y0;
      const a = mask.alpha;
      const w = mask.width;
      const top = a[y0 * w + x0]! * (1 - tx) + a[y0 * w + x1]! * tx;
      const bottom = a[y1 * w + x0]! * (1 - tx) + a[y1 * w + x1]! * tx;
      return Math.round(top * (1 - ty) + bottom * ty);
    },
  };
}

/** A region around the head, `reach` head heights each way from the eye mid-point, inside the still. */
export function regionAroundHead(
  eyeMid: Pt,
  headHeightPx: number,
  image: { width: number; height: number },
  reach = 1.6,
): Region {
  const half = reach * headHeightPx;
  const left = Math.max(0, Math.floor(eyeMid[0] - half));
  const top = Math.max(0, Math.floor(eyeMid[1] - half));
  const right = Math.min(image.width, Math.ceil(eyeMid[0] + half));
  const bottom = Math.min(image.height, Math.ceil(eyeMid[1] + half));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}
