/** mouth.closed: the widest gap between the inner lips over the face height (forehead to chin). */
import { atMost, type CheckResult } from './check-result.ts';
import { MESH_GROUPS, type FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';

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
  return atMost(
    'mouth.closed',
    measureMouthGap(ctx.geometry),
    ctx.limits.maxMouthGap,
    { pass: 'The mouth is closed.', fail: 'The mouth is open.' },
    'hint.closeMouth',
    3,
  );
}
