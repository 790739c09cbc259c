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

/** Is an image point (in the pixels of the image as given) left out of the background (the person, or below the chin)? */
export function personAt(geometry: FaceGeometry): (x: number, y: number) => boolean {
  const right = geometry.toFace(geometry.point(234))[0];
  const left = geometry.toFace(geometry.point(454))[0];
  const uc = (right + left) / 2;
  const halfWidth = Math.max(geometry.faceWidth / 2, geometry.ied);
  const chinV = geometry.eyeToChin;
  const crownV = -CROWN_OVER_EYE_LINE * geometry.eyeToChin;
  const vc = (chinV + crownV) / 2;
  const a = 2 * halfWidth; // hair at the sides
  const b = 0.7 * (chinV - crownV); // hair above the crown
  // geometry.toFace, written out: this runs for every cell of every live frame (~68,000 cells
  // on a 640 px frame), and an array per call cost more than the rest of the check.
  const [ox, oy] = geometry.eyeMid;
  const [ex0, ex1] = geometry.ex;
  const [ey0, ey1] = geometry.ey;
  return (x, y) => {
    const dx = x - ox;
    const dy = y - oy;
    const u = dx * ex0 + dy * ex1;
    const v = dx * ey0 + dy * ey1;
    if (v >= chinV) return true;
    const du = (u - uc) / a;
    const dv = (v - vc) / b;
    return du * du + dv * dv <= 1;
  };
}

export function measureBackground(pixels: StillPixels, geometry: FaceGeometry): BackgroundMeasure | null {
  const iedPx = geometry.ied * pixels.scale;
  const k = Math.max(1, Math.round(iedPx / BACKGROUND_PX_PER_IED));
  const w = Math.floor(pixels.width / k);
  const h = Math.floor(pixels.height / k);
  if (w < 3 || h < 3) return null;
  // Box-average the luma into cells of k x k pixels. A row's k pixels of a cell are summed
  // first: the sums are whole numbers far below 2^24, so the cells get exactly the values of a
  // pixel-by-pixel sum, in a third of the time (this runs on every live frame).
  const cells = new Float32Array(w * h);
  const luma = pixels.luma;
  for (let y = 0; y < h * k; y++) {
    const row = y * pixels.width;
    const cy = Math.floor(y / k) * w;
    for (let cx = 0; cx < w; cx++) {
      const from = row + cx * k;
      let rowSum = 0;
      for (let x = from; x < from + k; x++) rowSum += luma[x]!;
      cells[cy + cx]! += rowSum;
    }
  }
  for (let i = 0; i < cells.length; i++) cells[i]! /= k * k;
  const isPerson = personAt(geometry);
  const background = new Uint8Array(w * h);
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      const x = ((cx + 0.5) * k) / pixels.scale;
      const y = ((cy + 0.5) * k) / pixels.scale;
      background[cy * w + cx] = isPerson(x, y) ? 0 : 1;
    }
  }
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
