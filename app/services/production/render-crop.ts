/**
 * Renders a planned crop from the still: sharp cuts out the part of the still the photo covers
 * and scales it with a proper filter (so a 6000x4000 still shrinks without aliasing), then a
 * small bilinear warp applies the few degrees of levelling and the sub-pixel placement exactly
 * where the plan puts them.
 */
import sharp from 'sharp';
import type { CropPlan } from './crop-plan.ts';

export interface RawRgb {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Region of the still the warp reads, padded so bilinear taps at the border stay inside. */
const PAD = 3;

export async function renderCrop(
  still: Buffer,
  plan: Pick<CropPlan, 'widthPx' | 'heightPx' | 'scale' | 'toStill'>,
  image: { width: number; height: number },
): Promise<RawRgb> {
  const { widthPx: w, heightPx: h } = plan;
  const corners = [plan.toStill(0, 0), plan.toStill(w, 0), plan.toStill(0, h), plan.toStill(w, h)];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const left = clamp(Math.floor(Math.min(...xs)) - PAD, 0, image.width - 1);
  const top = clamp(Math.floor(Math.min(...ys)) - PAD, 0, image.height - 1);
  const right = clamp(Math.ceil(Math.max(...xs)) + PAD, left + 1, image.width);
  const bottom = clamp(Math.ceil(Math.max(...ys)) + PAD, top + 1, image.height);
  const regionW = right - left;
  const regionH = bottom - top;
  const scaledW = Math.max(1, Math.round(regionW * plan.scale));
  const scaledH = Math.max(1, Math.round(regionH * plan.scale));
  const { data: region } = await sharp(still, { failOn: 'error' })
    .autoOrient()
    .extract({ left, top, width: regionW, height: regionH })
    .resize(scaledW, scaledH, { kernel: 'lanczos3', fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Exact scale of the region after rounding its size to whole pixels.
  const sx = scaledW / regionW;
  const sy = scaledH / regionH;
  const out = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [px, py] = plan.toStill(x + 0.5, y + 0.5);
      // Pixel centres: region pixel i covers [i, i+1), so its centre is at i + 0.5.
      const rx = (px - left) * sx - 0.5;
      const ry = (py - top) * sy - 0.5;
      sampleBilinear(region, scaledW, scaledH, rx, ry, out, (y * w + x) * 3);
    }
  }
  return { data: out, width: w, height: h };
}

function sampleBilinear(
  src: Buffer,
  width: number,
  height: number,
  x: number,
  y: number,
  out: Buffer,
  at: number,
): void {
  const cx = clamp(x, 0, width - 1);
  const cy = clamp(y, 0, height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const i00 = (y0 * width + x0) * 3;
  const i10 = (y0 * width + x1) * 3;
  const i01 = (y1 * width + x0) * 3;
  const i11 = (y1 * width + x1) * 3;
  for (let c = 0; c < 3; c++) {
    const top = src[i00 + c]! * (1 - fx) + src[i10 + c]! * fx;
    const bottom = src[i01 + c]! * (1 - fx) + src[i11 + c]! * fx;
    out[at + c] = Math.round(top * (1 - fy) + bottom * fy);
  }
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
