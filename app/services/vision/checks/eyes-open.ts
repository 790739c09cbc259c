/**
 * eyes.open: the eyelid gap of the less open eye over the inter-eye distance (as ISO/IEC 29794-5
 * and OFIQ measure eye openness, on the face mesh's lid margins).
 */
import { atLeast, type CheckResult } from './check-result.ts';
import { MESH_GROUPS, type FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';

/** Widest lid gap across the middle of one eye, in pixels. */
function lidGap(geometry: FaceGeometry, pairs: ReadonlyArray<readonly [number, number]>): number {
  let widest = 0;
  for (const [upper, lower] of pairs) {
    const a = geometry.point(upper);
    const b = geometry.point(lower);
    widest = Math.max(widest, Math.hypot(a[0] - b[0], a[1] - b[1]));
  }
  return widest;
}

/** Each eye's lid gap over the inter-eye distance, and the smaller of the two. */
export function measureEyeOpening(geometry: FaceGeometry): { right: number; left: number; value: number } {
  const right = lidGap(geometry, MESH_GROUPS.rightLidPairs) / geometry.ied;
  const left = lidGap(geometry, MESH_GROUPS.leftLidPairs) / geometry.ied;
  return { right, left, value: Math.min(right, left) };
}

export function checkEyesOpen(ctx: FaceContext): CheckResult {
  const { value } = measureEyeOpening(ctx.geometry);
  return atLeast(
    'eyes.open',
    value,
    ctx.limits.minEyeOpening,
    {
      pass: 'Both eyes are open.',
      fail: 'The eyes look closed or half closed.',
    },
    'hint.openEyes',
    3,
  );
}
