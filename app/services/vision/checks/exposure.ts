/**
 * exposure: neither too dark nor blown out. As in ISO/IEC 29794-5's under- and over-exposure
 * measures: the share of the face's skin (cheeks and nose, away from hair, brows and beard)
 * whose luminance is very dark or clipped.
 */
import { atMost, notMeasured, type CheckResult } from './check-result.ts';
import { MESH_GROUPS, type FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';
import { lumaInPolygon, orientedSquare } from './regions.ts';
import type { StillPixels } from './still-pixels.ts';

/** Luma below this is very dark (about a fifth of the range: no skin detail left). */
export const VERY_DARK_BELOW = 50;
/** Luma at or above this is clipped. */
export const CLIPPED_FROM = 250;

/** Mesh point on the nose bridge, between the eyes and the tip. */
const NOSE_BRIDGE = 195;

export interface ExposureMeasure {
  readonly dark: number;
  readonly clipped: number;
  /** dark + clipped: the share of the skin that is badly exposed. */
  readonly value: number;
}

export function measureExposure(pixels: StillPixels, geometry: FaceGeometry): ExposureMeasure | null {
  const regions = [
    orientedSquare(geometry.point(MESH_GROUPS.rightCheek), 0.22 * geometry.ied, geometry.ex),
    orientedSquare(geometry.point(MESH_GROUPS.leftCheek), 0.22 * geometry.ied, geometry.ex),
    orientedSquare(geometry.point(NOSE_BRIDGE), 0.1 * geometry.ied, geometry.ex),
  ];
  let n = 0;
  let dark = 0;
  let clipped = 0;
  for (const region of regions) {
    for (const v of lumaInPolygon(pixels, region)) {
      n++;
      if (v < VERY_DARK_BELOW) dark++;
      else if (v >= CLIPPED_FROM) clipped++;
    }
  }
  if (n < 16) return null;
  return { dark: dark / n, clipped: clipped / n, value: (dark + clipped) / n };
}

export function checkExposure(ctx: FaceContext): CheckResult {
  const limit = ctx.limits.maxBadExposure;
  const m = measureExposure(ctx.pixels, ctx.geometry);
  if (!m) return notMeasured('exposure', limit, 'The face is outside the photo.', 'hint.centerFace');
  const tooDark = m.dark >= m.clipped;
  const pct = (share: number) => `${Math.round(share * 100)}%`;
  return atMost(
    'exposure',
    m.value,
    limit,
    {
      pass: 'The face is well exposed.',
      fail: tooDark
        ? `The face is too dark: ${pct(m.dark)} of the skin is almost black.`
        : `The face is overexposed: ${pct(m.clipped)} of the skin is burnt out white.`,
    },
    tooDark ? 'hint.tooDark' : 'hint.tooBright',
    3,
  );
}
