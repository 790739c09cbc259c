/**
 * eyes.visible: nothing covers the eyes (hair, dark glasses, a hand, a reflection). An uncovered
 * open eye shows a bright sclera beside a dark iris; a covered one does not. The value is the
 * lower of the two eyes' contrast inside the lid margins (90th minus 10th luminance percentile)
 * over the cheeks' median luminance, so it does not depend on exposure or skin tone.
 */
import { atLeast, notMeasured, type CheckResult } from './check-result.ts';
import { MESH_GROUPS, type FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';
import { lumaInPolygon, orientedSquare, percentile } from './regions.ts';
import type { StillPixels } from './still-pixels.ts';

/** Median luminance of both cheeks (the face's skin reference). */
export function cheekMedian(pixels: StillPixels, geometry: FaceGeometry): number {
  const half = 0.2 * geometry.ied;
  const right = lumaInPolygon(
    pixels,
    orientedSquare(geometry.point(MESH_GROUPS.rightCheek), half, geometry.ex),
  );
  const left = lumaInPolygon(
    pixels,
    orientedSquare(geometry.point(MESH_GROUPS.leftCheek), half, geometry.ex),
  );
  const both = new Uint8Array(right.length + left.length);
  both.set(right);
  both.set(left, right.length);
  return percentile(both, 0.5);
}

export interface EyeVisibility {
  /** Per eye: contrast inside the lid margins over the cheeks' median. */
  readonly right: number;
  readonly left: number;
  readonly value: number;
  /** Median luminance around both eyes over the cheeks' median (dark glasses make it small). */
  readonly surround: number;
}

export function measureEyeVisibility(pixels: StillPixels, geometry: FaceGeometry): EyeVisibility | null {
  const skin = cheekMedian(pixels, geometry);
  if (!Number.isFinite(skin)) return null;
  const reference = Math.max(skin, 16);
  const contrast = (contour: readonly number[]): number => {
    const values = lumaInPolygon(
      pixels,
      contour.map((i) => geometry.point(i)),
    );
    if (values.length < 4) return 0;
    return (percentile(values, 0.9) - percentile(values, 0.1)) / reference;
  };
  const right = contrast(MESH_GROUPS.rightEyeContour);
  const left = contrast(MESH_GROUPS.leftEyeContour);
  const around = (centre: readonly [number, number]) =>
    percentile(lumaInPolygon(pixels, orientedSquare(centre, 0.3 * geometry.ied, geometry.ex)), 0.5);
  const surround = Math.min(around(geometry.rightEye), around(geometry.leftEye)) / reference;
  return { right, left, value: Math.min(right, left), surround };
}

/** Below this share of the skin's luminance, the area around the eyes is taken for dark glasses. */
const DARK_GLASSES_SURROUND = 0.3;

export function checkEyesVisible(ctx: FaceContext): CheckResult {
  const limit = ctx.limits.minEyeContrast;
  const m = measureEyeVisibility(ctx.pixels, ctx.geometry);
  if (!m) return notMeasured('eyes.visible', limit, 'The eyes are outside the photo.', 'hint.centerFace');
  return atLeast(
    'eyes.visible',
    m.value,
    limit,
    {
      pass: 'Both eyes are clearly visible.',
      fail:
        m.surround < DARK_GLASSES_SURROUND
          ? 'The eyes are hidden behind something dark, like tinted glasses.'
          : 'Something covers the eyes (hair, a hand, a reflection), or they are not clearly visible.',
    },
    m.surround < DARK_GLASSES_SURROUND ? 'hint.removeGlasses' : 'hint.uncoverEyes',
    3,
  );
}
