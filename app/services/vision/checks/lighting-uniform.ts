/**
 * lighting.uniform: both sides of the face equally lit. As in ISO/IEC 29794-5 (OFIQ's
 * illumination uniformity), the left and right cheeks' luminance histograms are compared; the
 * value is the darker cheek's median luminance over the brighter cheek's (1 = the same light on
 * both sides). The median of each histogram is used rather than OFIQ's bin-wise overlap: skin
 * histograms are narrow, so their overlap drops to nothing at differences no one would call
 * uneven, while the ratio reads the same whatever the skin's texture.
 */
import { atLeast, notMeasured, type CheckResult } from './check-result.ts';
import { MESH_GROUPS, type FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';
import { lumaInPolygon, orientedSquare, percentile } from './regions.ts';
import type { StillPixels } from './still-pixels.ts';

export interface LightingMeasure {
  /** Median luminance of the person's right cheek (image left) and left cheek. */
  readonly right: number;
  readonly left: number;
  /** Darker over brighter, 0..1. */
  readonly value: number;
}

/** Darker over brighter median of two cheeks' luminance samples; null when either is too small. */
export function lightingRatio(right: Uint8Array, left: Uint8Array): LightingMeasure | null {
  if (right.length < 16 || left.length < 16) return null;
  const r = percentile(right, 0.5);
  const l = percentile(left, 0.5);
  const brighter = Math.max(r, l);
  return { right: r, left: l, value: brighter <= 0 ? 1 : Math.min(r, l) / brighter };
}

export function measureLighting(pixels: StillPixels, geometry: FaceGeometry): LightingMeasure | null {
  const half = 0.2 * geometry.ied;
  return lightingRatio(
    lumaInPolygon(pixels, orientedSquare(geometry.point(MESH_GROUPS.rightCheek), half, geometry.ex)),
    lumaInPolygon(pixels, orientedSquare(geometry.point(MESH_GROUPS.leftCheek), half, geometry.ex)),
  );
}

export function checkLightingUniform(ctx: FaceContext): CheckResult {
  const limit = ctx.limits.minLightingUniformity;
  const m = measureLighting(ctx.pixels, ctx.geometry);
  if (!m)
    return notMeasured('lighting.uniform', limit, 'The cheeks are outside the photo.', 'hint.centerFace');
  const darker = m.right < m.left ? "the person's right" : "the person's left";
  const pct = Math.round((1 - m.value) * 100);
  return atLeast(
    'lighting.uniform',
    m.value,
    limit,
    {
      pass: 'The face is evenly lit.',
      fail: `The face is unevenly lit: ${darker} side is ${pct}% darker than the other.`,
    },
    'hint.lightingUneven',
    3,
  );
}
