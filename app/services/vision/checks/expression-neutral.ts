/**
 * expression.neutral: no smile. A smile lifts the mouth corners above the middle of the lips;
 * the value is that lift (on the levelled face) over the mouth's width. Positive: corners up.
 */
import { MESH } from '../engine/face-engine.ts';
import { atMost, type CheckResult } from './check-result.ts';
import type { FaceGeometry } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';

export function measureSmile(geometry: FaceGeometry): number {
  const right = geometry.toFace(geometry.point(MESH.mouthRight));
  const left = geometry.toFace(geometry.point(MESH.mouthLeft));
  const upper = geometry.toFace(geometry.point(MESH.upperLipInner));
  const lower = geometry.toFace(geometry.point(MESH.lowerLipInner));
  const middle = (upper[1] + lower[1]) / 2;
  const corners = (right[1] + left[1]) / 2;
  const width = Math.max(Math.hypot(left[0] - right[0], left[1] - right[1]), 1e-6);
  return (middle - corners) / width;
}

export function checkExpressionNeutral(ctx: FaceContext): CheckResult {
  return atMost(
    'expression.neutral',
    measureSmile(ctx.geometry),
    ctx.limits.maxSmile,
    { pass: 'The expression is neutral.', fail: 'The face is smiling; a neutral expression is needed.' },
    'hint.neutralExpression',
    3,
  );
}
