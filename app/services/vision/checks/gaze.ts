/**
 * gaze: the eyes look into the camera. The iris centre's offset from the middle of its eye's
 * corners (in eye widths, on the levelled face) is turned into the angle between the line of
 * sight and the camera. The eye corners lie in front of the eyeball's
 * centre, so a head turned by an angle moves the corners against the iris even when the eyes
 * stay on the camera; the head's yaw and pitch are taken out for that. The value is the larger
 * of the horizontal and vertical gaze angles, in degrees.
 *
 * In the image, iris offset x eye width = R sin(gaze) - d sin(head turn), with R the eyeball's
 * radius and d how far the corners lie in front of its centre.
 *
 * Both offsets are averaged over both eyes. (@vladmandic/human 3.3.6 mirrors the person's right
 * eye for the iris model without mirroring the answer back, so that iris moved the wrong way
 * sideways; the engine corrects it, see `orientEyeCropsForIris` in engine/iris-eye-crops.ts.
 * `HORIZONTAL_FROM_BOTH_EYES = false` would read the horizontal offset on the left eye alone.)
 */
import { MESH, type AnalysedFace } from '../engine/face-engine.ts';
import { atMost, notMeasured, type CheckResult } from './check-result.ts';
import type { FaceGeometry, Pt } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';

/**
 * Eye width (corner to corner, about 28-30 mm) over the eyeball's radius (about 12 mm): an iris
 * offset of `d` eye widths is an eyeball turn of asin(d * this).
 */
export const EYE_WIDTH_OVER_EYEBALL_RADIUS = 2.4;

/** How far the eye corners lie in front of the eyeball's centre, in eyeball radii (d / R). */
export const CORNERS_FORWARD_OF_EYEBALL_CENTRE = 0.5;

/**
 * Where the iris centre sits, in eye widths above the line through the eye corners, when the eye
 * looks straight ahead (the corners lie a little below the eye's centre).
 */
export const IRIS_REST_ABOVE_CORNERS = 0.04;

/** Average the horizontal offset over both eyes (the engine no longer mirrors the right iris). */
export const HORIZONTAL_FROM_BOTH_EYES = true;

const deg = (rad: number): number => (rad * 180) / Math.PI;
const rad = (d: number): number => (d * Math.PI) / 180;
/** Gaze angle from an iris offset (eye widths) and the head's turn the same way (degrees). */
const gazeAngle = (offset: number, headTurn: number): number =>
  deg(
    Math.asin(
      Math.max(
        -1,
        Math.min(
          1,
          offset * EYE_WIDTH_OVER_EYEBALL_RADIUS +
            CORNERS_FORWARD_OF_EYEBALL_CENTRE * Math.sin(rad(headTurn)),
        ),
      ),
    ),
  );

export interface GazeMeasure {
  /** Iris offset from the corners' mid-point, in eye widths: towards the image's right / downwards. */
  readonly offsetX: number;
  readonly offsetY: number;
  /** Gaze away from the camera, degrees: positive towards the image's right / downwards. */
  readonly horizontal: number;
  readonly vertical: number;
  readonly value: number;
}

function eyeOffset(geometry: FaceGeometry, outer: number, inner: number, iris: Pt): [number, number] {
  const a = geometry.toFace(geometry.point(outer));
  const b = geometry.toFace(geometry.point(inner));
  const width = Math.max(Math.hypot(a[0] - b[0], a[1] - b[1]), 1e-6);
  const c = geometry.toFace(iris);
  return [(c[0] - (a[0] + b[0]) / 2) / width, (c[1] - (a[1] + b[1]) / 2) / width + IRIS_REST_ABOVE_CORNERS];
}

export function measureGaze(
  face: Pick<AnalysedFace, 'iris' | 'rotation'>,
  geometry: FaceGeometry,
): GazeMeasure | null {
  if (!face.iris) return null;
  const r = eyeOffset(geometry, MESH.rightEyeOuter, MESH.rightEyeInner, face.iris.right.center);
  const l = eyeOffset(geometry, MESH.leftEyeOuter, MESH.leftEyeInner, face.iris.left.center);
  const offsetX = HORIZONTAL_FROM_BOTH_EYES ? (r[0] + l[0]) / 2 : l[0];
  const offsetY = (r[1] + l[1]) / 2;
  // Yaw turns the nose towards the image's right; pitch lifts the chin (the face turns up).
  const horizontal = gazeAngle(offsetX, face.rotation.yaw);
  const vertical = gazeAngle(offsetY, -face.rotation.pitch);
  return {
    offsetX,
    offsetY,
    horizontal,
    vertical,
    value: Math.max(Math.abs(horizontal), Math.abs(vertical)),
  };
}

export function checkGaze(ctx: FaceContext): CheckResult {
  const limit = ctx.limits.maxGazeDeg;
  const m = measureGaze(ctx.face, ctx.geometry);
  if (!m)
    return notMeasured(
      'gaze',
      limit,
      'The irises could not be found, so the gaze was not checked.',
      'hint.lookAtCamera',
    );
  const where =
    Math.abs(m.horizontal) >= Math.abs(m.vertical)
      ? m.horizontal > 0
        ? "to the person's left"
        : "to the person's right"
      : m.vertical > 0
        ? 'down'
        : 'up';
  return atMost(
    'gaze',
    m.value,
    limit,
    {
      pass: 'The eyes look into the camera.',
      fail: `The eyes look ${where}, ${Math.round(m.value)}° away from the camera.`,
    },
    'hint.lookAtCamera',
    1,
  );
}
