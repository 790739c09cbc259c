/**
 * The limits every check compares its raw value with. ICAO-style numbers (degrees, ratios,
 * shares), not 0-100 quality scores. Defaults hold for every document; a spec can tighten or
 * loosen single limits (its `limits`), and a caller can override any of them.
 */
import { resolveSpec, type SpecRef } from './crop-needs.ts';

export interface ComplianceLimits {
  /** face.inFrame: share of the document's tightest allowed crop that must lie inside the photo. */
  readonly minCropInside: number;
  /** face.resolution: pixels per inch the printed photo gets from the still (crop at mid head height). */
  readonly minPrintDpi: number;
  /** head.roll / head.yaw / head.pitch: largest rotation either way, degrees. */
  readonly maxRollDeg: number;
  readonly maxYawDeg: number;
  readonly maxPitchDeg: number;
  /** eyes.open: smaller eye's eyelid gap over the inter-eye distance. */
  readonly minEyeOpening: number;
  /** eyes.visible: smaller eye's contrast (90th minus 10th luminance percentile) over the cheeks' median. */
  readonly minEyeContrast: number;
  /** gaze: largest angle of the eyes away from the camera, degrees. */
  readonly maxGazeDeg: number;
  /** mouth.closed: inner-lip gap over the face height (forehead to chin). */
  readonly maxMouthGap: number;
  /** mouth.closed: share of the band between the lips that shows teeth (see `mouth-teeth.ts`). */
  readonly maxTeethShare: number;
  /** expression.neutral: lift of the mouth corners over the mouth's width. */
  readonly maxSmile: number;
  /** lighting.uniform: the darker cheek's median luminance over the brighter cheek's. */
  readonly minLightingUniformity: number;
  /** exposure: share of the face's skin that is very dark or clipped. */
  readonly maxBadExposure: number;
  /** sharpness: fine detail of the face at print scale (see `sharpness.ts`). */
  readonly minSharpness: number;
  /** background.uniform: mean luminance gradient of the background at head scale (levels per pixel). */
  readonly maxBackgroundGradient: number;
}

export const DEFAULT_LIMITS: ComplianceLimits = {
  minCropInside: 1,
  minPrintDpi: 150,
  maxRollDeg: 8,
  maxYawDeg: 8,
  maxPitchDeg: 8,
  minEyeOpening: 0.1,
  minEyeContrast: 0.25,
  maxGazeDeg: 10,
  maxMouthGap: 0.03,
  // A teeth smile shows teeth on 0.30-0.39 of the band (test0 in the bench's 13 variants), closed
  // lips at most 0.034 (test2 under a cool lamp; 0.047 on test3 at 1.5 times the light): the limit
  // sits well between.
  maxTeethShare: 0.1,
  maxSmile: 0.06,
  minLightingUniformity: 0.75,
  maxBadExposure: 0.1,
  minSharpness: 0.1,
  maxBackgroundGradient: 2,
};

/**
 * The limits for a document spec: the defaults (`DEFAULT_LIMITS`, with the unit's own from
 * config, `vision.checks`, over them), then the spec's own, then the caller's.
 */
export function limitsFor(
  spec: SpecRef,
  overrides: Partial<ComplianceLimits> = {},
  defaults: Partial<ComplianceLimits> = {},
): ComplianceLimits {
  return { ...DEFAULT_LIMITS, ...defaults, ...resolveSpec(spec).limits, ...overrides };
}
