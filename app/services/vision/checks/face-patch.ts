/**
 * A levelled patch of the face at a fixed scale (pixels per inter-eye distance), resampled from
 * the still's luma: the same face gives the same patch whatever the camera's resolution or the
 * head's tilt, so measures on it (sharpness) compare across photos.
 */
import type { FaceGeometry } from './face-geometry.ts';
import { lumaAt, type StillPixels } from './still-pixels.ts';

export interface FacePatch {
  readonly width: number;
  readonly height: number;
  /** Luma 0..255, NaN where the patch lies outside the photo. */
  readonly luma: Float32Array;
}

/**
 * Samples face coordinates u in [u0, u1], v in [v0, v1] (in inter-eye distances, from the eye
 * mid-point; v down the face) at `pxPerIed` pixels per inter-eye distance. Each patch pixel is
 * the mean of bilinear samples spread over its footprint, so scaling down averages (as a camera
 * with fewer pixels would) instead of picking single pixels.
 */
export function facePatch(
  pixels: StillPixels,
  geometry: FaceGeometry,
  pxPerIed: number,
  [u0, u1]: readonly [number, number],
  [v0, v1]: readonly [number, number],
): FacePatch {
  const width = Math.max(1, Math.round((u1 - u0) * pxPerIed));
  const height = Math.max(1, Math.round((v1 - v0) * pxPerIed));
  const luma = new Float32Array(width * height);
  const step = geometry.ied / pxPerIed;
  const s = pixels.scale;
  const k = Math.min(8, Math.max(1, Math.ceil(step * s)));
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let sum = 0;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          const [x, y] = geometry.fromFace(
            u0 * geometry.ied + (i + (a + 0.5) / k) * step,
            v0 * geometry.ied + (j + (b + 0.5) / k) * step,
          );
          sum += lumaAt(pixels, x * s - 0.5, y * s - 0.5);
        }
      }
      luma[j * width + i] = sum / (k * k);
    }
  }
  return { width, height, luma };
}
