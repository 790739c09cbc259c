/**
 * The full check of a captured still against a document spec: every check id, each with its
 * raw value, limit, pass and message, and an overall verdict.
 *
 * - One face: every check is measured on it.
 * - Several faces: `face.single` fails, and every other check is measured on the largest face
 *   (the person being photographed), so the report still says what else is wrong.
 * - No face: `face.single` fails and every other check is reported as failed with `value: null`
 *   and a message saying it could not be measured. No check id is ever left out.
 */
import type { AnalysedFace, Box, FaceAnalysis, FaceImage } from '../engine/face-engine.ts';
import { checkBackgroundUniform } from './background-uniform.ts';
import { CHECK_IDS, notMeasured, type CheckId, type CheckResult } from './check-result.ts';
import { cropNeeds, resolveSpec, type CropNeeds, type SpecRef } from './crop-needs.ts';
import { checkExposure } from './exposure.ts';
import { checkExpressionNeutral } from './expression-neutral.ts';
import { checkEyesOpen } from './eyes-open.ts';
import { checkEyesVisible } from './eyes-visible.ts';
import type { FaceContext } from './face-context.ts';
import { faceGeometry } from './face-geometry.ts';
import { checkFaceInFrame } from './face-in-frame.ts';
import { checkFaceResolution } from './face-resolution.ts';
import { checkFaceSingle } from './face-single.ts';
import { checkGaze } from './gaze.ts';
import { checkHeadPose } from './head-pose.ts';
import { checkLightingUniform } from './lighting-uniform.ts';
import { limitsFor, type ComplianceLimits } from './limits.ts';
import { checkMouthClosed } from './mouth-closed.ts';
import { checkSharpness } from './sharpness.ts';
import { decodeStill, type StillPixels } from './still-pixels.ts';

export interface StillReport {
  readonly verdict: 'pass' | 'fail';
  /** The measured face (the largest when there are several); null when there is none. */
  readonly face: {
    readonly roll: number;
    readonly yaw: number;
    readonly pitch: number;
    readonly box: Box;
  } | null;
  /** One result per check id, in `CHECK_IDS` order. */
  readonly checks: readonly CheckResult[];
}

/**
 * Checks a still: decodes its pixels once (sharp) and runs every check on the analysis of the
 * same image. `limits` overrides single limits of the spec's, `defaults` lie under them (see `limitsFor`).
 * `spec` is a spec or a built-in spec's id. Throws a RangeError for an unknown spec id; rejects when the image cannot be decoded.
 */
export async function checkStill(
  image: FaceImage,
  analysis: FaceAnalysis,
  spec: SpecRef,
  limits: Partial<ComplianceLimits> = {},
  defaults: Partial<ComplianceLimits> = {},
): Promise<StillReport> {
  const resolved = resolveSpec(spec);
  const needs = cropNeeds(resolved);
  const pixels = await decodeStill(image);
  return checkDecodedStill(pixels, analysis, needs, limitsFor(resolved, limits, defaults));
}

/** The same on pixels that are already decoded (for callers that hold them, like live view). */
export function checkDecodedStill(
  pixels: StillPixels,
  analysis: Pick<FaceAnalysis, 'width' | 'height' | 'faces'>,
  needs: CropNeeds,
  limits: ComplianceLimits,
): StillReport {
  const expectedWidth = Math.round(analysis.width * pixels.scale);
  if (Math.abs(expectedWidth - pixels.width) > 1) {
    throw new RangeError(
      `the pixels (${pixels.width} wide) are not those of the analysed image (${analysis.width} wide at scale ${pixels.scale})`,
    );
  }
  const single = checkFaceSingle(analysis.faces.length);
  const face = analysis.faces[0];
  if (!face) {
    const checks = CHECK_IDS.map((id) =>
      id === 'face.single'
        ? single
        : notMeasured(id, limitOf(id, limits), 'No face was found, so this could not be checked.'),
    );
    return { verdict: 'fail', face: null, checks };
  }
  const checks = [
    single,
    ...checkFace({ image: analysis, face, geometry: faceGeometry(face), pixels, limits, needs }),
  ];
  const byId = new Map(checks.map((c) => [c.id, c]));
  const ordered = CHECK_IDS.map((id) => byId.get(id)!);
  return {
    verdict: ordered.every((c) => c.pass) ? 'pass' : 'fail',
    face: { ...face.rotation, box: face.box },
    checks: ordered,
  };
}

/** Every check except `face.single`, on one face. */
export function checkFace(ctx: FaceContext): CheckResult[] {
  return [
    checkFaceInFrame(ctx),
    checkFaceResolution(ctx),
    ...checkHeadPose(ctx.face.rotation, ctx.limits),
    checkEyesOpen(ctx),
    checkEyesVisible(ctx),
    checkGaze(ctx),
    checkMouthClosed(ctx),
    checkExpressionNeutral(ctx),
    checkLightingUniform(ctx),
    checkExposure(ctx),
    checkSharpness(ctx),
    checkBackgroundUniform(ctx),
  ];
}

/** Builds the context for checking one face of an analysis (for callers that check several faces). */
export function faceContext(
  pixels: StillPixels,
  analysis: Pick<FaceAnalysis, 'width' | 'height'>,
  face: AnalysedFace,
  spec: SpecRef,
  limits: Partial<ComplianceLimits> = {},
): FaceContext {
  return {
    image: { width: analysis.width, height: analysis.height },
    face,
    geometry: faceGeometry(face),
    pixels,
    limits: limitsFor(spec, limits),
    needs: cropNeeds(spec),
  };
}

function limitOf(id: CheckId, limits: ComplianceLimits): number {
  const map: Record<CheckId, number> = {
    'face.single': 1,
    'face.inFrame': limits.minCropInside,
    'face.resolution': limits.minPrintDpi,
    'head.roll': limits.maxRollDeg,
    'head.yaw': limits.maxYawDeg,
    'head.pitch': limits.maxPitchDeg,
    'eyes.open': limits.minEyeOpening,
    'eyes.visible': limits.minEyeContrast,
    gaze: limits.maxGazeDeg,
    'mouth.closed': limits.maxMouthGap, // the teeth's limit applies only once a mouth is seen
    'expression.neutral': limits.maxSmile,
    'lighting.uniform': limits.minLightingUniformity,
    exposure: limits.maxBadExposure,
    sharpness: limits.minSharpness,
    'background.uniform': limits.maxBackgroundGradient,
  };
  return map[id];
}
