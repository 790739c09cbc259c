/**
 * sharpness: the face is in focus and not blurred by movement. As in ISO/IEC 29794-5's
 * Laplacian-based sharpness, on a levelled face patch at print scale (`SHARPNESS_PX_PER_IED`
 * pixels between the eyes, about what a 35x45 mm print at 300 dpi gives): the standard deviation
 * of the Laplacian over the standard deviation of the luminance. Dividing by the luminance's
 * spread makes the value independent of exposure and contrast; what is left is how much of the
 * face's structure is fine detail.
 */
import { atLeast, notMeasured, type CheckResult } from './check-result.ts';
import type { FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';
import { facePatch, type FacePatch } from './face-patch.ts';
import type { StillPixels } from './still-pixels.ts';

export const SHARPNESS_PX_PER_IED = 64;
/** The inner face: eyebrows to below the mouth, cheek to cheek, in inter-eye distances. */
const U_RANGE = [-0.9, 0.9] as const;
const V_RANGE = [-0.45, 1.3] as const;

/** std(Laplacian) / std(luminance) over a patch; NaN pixels (outside the photo) are skipped. */
export function laplacianRatio(patch: FacePatch): number {
  const { width, height, luma } = patch;
  let n = 0;
  let sumL = 0;
  let sumL2 = 0;
  let sumI = 0;
  let sumI2 = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const c = luma[i]!;
      const lap = 4 * c - luma[i - 1]! - luma[i + 1]! - luma[i - width]! - luma[i + width]!;
      if (!Number.isFinite(lap)) continue;
      n++;
      sumL += lap;
      sumL2 += lap * lap;
      sumI += c;
      sumI2 += c * c;
    }
  }
  if (n < 64) return Number.NaN;
  const varL = sumL2 / n - (sumL / n) ** 2;
  const varI = sumI2 / n - (sumI / n) ** 2;
  if (varI <= 1e-6) return 0;
  return Math.sqrt(Math.max(0, varL) / varI);
}

export function measureSharpness(pixels: StillPixels, geometry: FaceGeometry): number {
  return laplacianRatio(facePatch(pixels, geometry, SHARPNESS_PX_PER_IED, U_RANGE, V_RANGE));
}

export function checkSharpness(ctx: FaceContext): CheckResult {
  const limit = ctx.limits.minSharpness;
  const value = measureSharpness(ctx.pixels, ctx.geometry);
  if (!Number.isFinite(value)) {
    return notMeasured('sharpness', limit, 'The face is outside the photo.', 'hint.centerFace');
  }
  return atLeast(
    'sharpness',
    value,
    limit,
    { pass: 'The face is sharp.', fail: 'The face is blurred (out of focus, or the person moved).' },
    'hint.holdStill',
    3,
  );
}
