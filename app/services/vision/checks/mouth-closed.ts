/**
 * mouth.closed: the lips meet. Two measures, either fails the check:
 * - the widest gap between the inner lips (face mesh) over the face height (forehead to chin):
 *   an open mouth;
 * - the share of the band between the lips that shows teeth (`mouth-teeth.ts`): a smile with
 *   the teeth showing, whose parted lips the mesh often draws closed.
 * The result's value and limit are those of the measure that decided: the gap, unless the teeth
 * failed it.
 */
import { atMost, type CheckResult } from './check-result.ts';
import { MESH_GROUPS, type FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';
import { measureTeeth } from './mouth-teeth.ts';

export function measureMouthGap(geometry: FaceGeometry): number {
  let widest = 0;
  for (const [upper, lower] of MESH_GROUPS.innerLipPairs) {
    const a = geometry.point(upper);
    const b = geometry.point(lower);
    widest = Math.max(widest, Math.hypot(a[0] - b[0], a[1] - b[1]));
  }
  return widest / Math.max(geometry.faceHeight, 1e-6);
}

export function checkMouthClosed(ctx: FaceContext): CheckResult {
  const gap = measureMouthGap(ctx.geometry);
  const byGap = atMost(
    'mouth.closed',
    gap,
    ctx.limits.maxMouthGap,
    { pass: 'The mouth is closed.', fail: 'The mouth is open.' },
    'hint.closeMouth',
    3,
  );
  if (!byGap.pass) return byGap;
  // A mouth outside the photo has no teeth to see; face.inFrame reports it.
  const teeth = measureTeeth(ctx.pixels, ctx.geometry);
  if (!teeth || teeth.share <= ctx.limits.maxTeethShare) return byGap;
  return atMost(
    'mouth.closed',
    teeth.share,
    ctx.limits.maxTeethShare,
    { pass: 'The mouth is closed.', fail: 'The lips are apart and the teeth show.' },
    'hint.closeMouth',
    3,
  );
}
