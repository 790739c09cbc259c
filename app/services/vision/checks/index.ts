/** The ID-photo compliance checks: the still report, the limits, and the pieces live coaching reuses. */
export { checkStill, checkDecodedStill, checkFace, faceContext, type StillReport } from './check-still.ts';
export { CHECK_IDS, type CheckId, type CheckResult, type HintKey } from './check-result.ts';
export { DEFAULT_LIMITS, limitsFor, type ComplianceLimits } from './limits.ts';
export {
  cropNeeds,
  isKnownSpec,
  resolveSpec,
  DEFAULT_SPEC_ID,
  type CropNeeds,
  type SpecRef,
} from './crop-needs.ts';
export { decodeStill, fromRgb, type StillPixels } from './still-pixels.ts';
