/** face.single: exactly one face in the photo. */
import type { CheckResult } from './check-result.ts';

export function checkFaceSingle(faceCount: number): CheckResult {
  const pass = faceCount === 1;
  const message =
    faceCount === 0
      ? 'No face was found in the photo.'
      : faceCount === 1
        ? 'One face found.'
        : `${faceCount} faces were found; only one person may be in the photo.`;
  return {
    id: 'face.single',
    pass,
    value: faceCount,
    limit: 1,
    message,
    ...(pass
      ? {}
      : { hint: faceCount === 0 ? ('hint.centerFace' as const) : ('hint.onlyOnePerson' as const) }),
  };
}
