/**
 * background.uniform: a plain backdrop. As in ISO/IEC 29794-5's background uniformity: the mean
 * length of the luminance gradient over the background, here at a fixed scale relative to the
 * face (`BACKGROUND_PX_PER_IED` pixels between the eyes) so that sensor noise and the camera's
 * resolution do not count, only patterns, objects, edges and strong shadows do. The background is
 * the part of the photo above the chin and outside a widened ellipse around the head (hair
 * included); below the chin, shoulders and clothes fill most of an ID photo and are left out.
 */
import { atMost, notMeasured, type CheckResult } from './check-result.ts';
import { CROWN_OVER_EYE_LINE, type FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';
import type { StillPixels } from './still-pixels.ts';

export const BACKGROUND_PX_PER_IED = 16;
/** Fewer background cells than this (at the scale above) and the background is not judged. */
const MIN_CELLS = 200;

export interface BackgroundMeasure {
  /** Mean gradient length over the background, luminance levels per cell (1/16 of the inter-eye distance). */
  readonly value: number;
  /** Background cells measured. */
  readonly cells: number;
}

/**
 * Which cells of a grid over the image are left out of the background (the person, or below the
 * chin): 1 for background, 0 for left out. Cell (cx, cy) is judged at its centre, in the pixels
 * of the image as given; cells are `k` pixels of the decoded image, `scale` of those a pixel of
 * the image as given. One pass per row with the row's terms worked out once (this runs for every
 * cell of every live frame, ~68,000 on a 640 px frame): the same arithmetic, in the same order,
 * as `geometry.toFace` on each centre.
 */
export function backgroundCells(
  geometry: FaceGeometry,
  w: number,
  h: number,
  k: number,
  scale: number,
): Uint8Array {
  const right = geometry.toFace(geometry.point(234))[0];
  const left = geometry.toFace(geometry.point(454))[0];
  const uc = (right + left) / 2;
  const halfWidth = Math.max(geometry.faceWidth / 2, geometry.ied);
  const chinV = geometry.eyeToChin;
  const crownV = -CROWN_OVER_EYE_LINE * geometry.eyeToChin;
  const vc = (chinV + crownV) / 2;
  const a = 2 * halfWidth; // hair at the sides
  const b = 0.7 * (chinV - crownV); // hair above the crown
  const [ox, oy] = geometry.eyeMid;
  const [ex0, ex1] = geometry.ex;
  const [ey0, ey1] = geometry.ey;
  const background = new Uint8Array(w * h);
  for (let cy = 0; cy < h; cy++) {
    const dy = ((cy + 0.5) * k) / scale - oy;
    const dyU = dy * ex1;
    const dyV = dy * ey1;
    for (let cx = 0; cx < w; cx++) {
      const dx = ((cx + 0.5) * k) / scale - ox;
      const u = dx * ex0 + dyU;
      const v = dx * ey0 + dyV;
      if (v >= chinV) continue;
      const du = (u - uc) / a;
      const dv = (v - vc) / b;
      if (!(du * du + dv * dv <= 1)) background[cy * w + cx] = 1;
    }
  }
  return background;
}

export function measureBackground(pixels: StillPixels, geometry: FaceGeometry): BackgroundMeasure | null {
  const iedPx = geometry.ied * pixels.scale;
  const k = Math.max(1, Math.round(iedPx / BACKGROUND_PX_PER_IED));
  const w = Math.floor(pixels.width / k);
  const h = Math.floor(pixels.height / k);
  if (w < 3 || h < 3) return null;
  // Box-average the luma into cells of k x k pixels. The sums are whole numbers far below 2^24,
  // so summing them as integers, in any order, gives a cell exactly the value a pixel-by-pixel
  // sum in floats did, in half the time (this runs on every live frame).
  const sums = new Int32Array(w * h);
  const luma = pixels.luma;
  for (let y = 0; y < h * k; y++) {
    const row = y * pixels.width;
    const cy = Math.floor(y / k) * w;
    for (let cx = 0, x = row; cx < w; cx++) {
      let s = 0;
      for (const end = x + k; x < end; x++) s += luma[x]!;
      sums[cy + cx]! += s;
    }
  }
  const cells = new Float32Array(w * h);
  for (let i = 0; i < cells.length; i++) cells[i] = sums[i]! / (k * k);
  const background = backgroundCells(geometry, w, h, k, pixels.scale);
  let n = 0;
  let sum = 0;
  for (let cy = 1; cy < h - 1; cy++) {
    for (let cx = 1; cx < w - 1; cx++) {
      const i = cy * w + cx;
      if (
        !background[i] ||
        !background[i - 1] ||
        !background[i + 1] ||
        !background[i - w] ||
        !background[i + w] ||
        !background[i - w - 1] ||
        !background[i - w + 1] ||
        !background[i + w - 1] ||
        !background[i + w + 1]
      )
        continue;
      const gx =
        cells[i - w + 1]! +
        2 * cells[i + 1]! +
        cells[i + w + 1]! -
        cells[i - w - 1]! -
        2 * cells[i - 1]! -
        cells[i + w - 1]!;
      const gy =
        cells[i + w - 1]! +
        2 * cells[i + w]! +
        cells[i + w + 1]! -
        cells[i - w - 1]! -
        2 * cells[i - w]! -
        cells[i - w + 1]!;
      // Math.sqrt, not Math.hypot: the same length (to the last bit or so) at a quarter of the cost.
      sum += Math.sqrt(gx * gx + gy * gy) / 8;
      n++;
    }
  }
  if (n < MIN_CELLS) return null;
  // Per cell of exactly 1/16 inter-eye distance (k is rounded to whole pixels).
  const cellIed = k / iedPx;
  return { value: (sum / n) * (1 / BACKGROUND_PX_PER_IED / cellIed), cells: n };
}

export function checkBackgroundUniform(ctx: FaceContext): CheckResult {
  const limit = ctx.limits.maxBackgroundGradient;
  const m = measureBackground(ctx.pixels, ctx.geometry);
  if (!m) {
    return notMeasured(
      'background.uniform',
      limit,
      'Too little background is visible around the person to check it.',
      'hint.moveBack',
    );
  }
  return atMost(
    'background.uniform',
    m.value,
    limit,
    {
      pass: 'The background is plain.',
      fail: 'The background is not plain: it shows patterns, objects, edges or shadows.',
    },
    'hint.backgroundBusy',
    2,
  );
}
