/**
 * Face geometry the checks share, from the 478-point face mesh in image pixels: eye centres,
 * the inter-eye distance (the ruler most measures are divided by), a face frame levelled on the
 * eye line, and the chin and (estimated) crown for the head height.
 */
import { MESH, type AnalysedFace, type Point3 } from '../engine/face-engine.ts';

export type Pt = readonly [x: number, y: number];

/** Mesh indices of eye, lip and cheek points (MediaPipe's canonical numbering). */
export const MESH_GROUPS = {
  /** Upper and lower lid pairs, across the middle of each eye (upper, lower). */
  rightLidPairs: [
    [160, 144],
    [159, 145],
    [158, 153],
  ],
  leftLidPairs: [
    [387, 373],
    [386, 374],
    [385, 380],
  ],
  /** Eye opening contours (lid margins), corner to corner along the top, then back along the bottom. */
  rightEyeContour: [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7],
  leftEyeContour: [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249],
  /** Inner lip pairs across the middle of the mouth (upper, lower). */
  innerLipPairs: [
    [82, 87],
    [13, 14],
    [312, 317],
  ],
  /**
   * Lip contours from the person's right mouth corner to their left, point for point: the inner
   * margins (where the lips meet) and the outer edges of the red of the lips.
   */
  innerLipUpper: [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308],
  innerLipLower: [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308],
  outerLipUpper: [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291],
  outerLipLower: [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291],
  /** Cheek centres (below the eyes, beside the nose). */
  rightCheek: 205,
  leftCheek: 425,
} as const;

export interface FaceGeometry {
  /** Eye centres (mid-points of the corners): the person's right eye is on the image's left. */
  readonly rightEye: Pt;
  readonly leftEye: Pt;
  readonly eyeMid: Pt;
  /** Distance between the eye centres, pixels. */
  readonly ied: number;
  /** Unit vector along the eye line, from the person's right eye to their left (image right when upright). */
  readonly ex: Pt;
  /** Unit vector down the face, perpendicular to the eye line. */
  readonly ey: Pt;
  readonly chin: Pt;
  /** Estimated top of the head (skull, not hair): as far above the eye line as the chin is below it. */
  readonly crown: Pt;
  /** Eye line to chin, along the face's vertical. */
  readonly eyeToChin: number;
  /** Chin to crown, pixels. */
  readonly headHeight: number;
  /** Forehead top to chin (mesh points 10 and 152), pixels. */
  readonly faceHeight: number;
  /** Cheek edge to cheek edge (mesh points 234 and 454), pixels. */
  readonly faceWidth: number;
  /** A mesh point in image pixels. */
  point(index: number): Pt;
  /** Image pixels to face coordinates: [along the eye line, down the face] from the eye mid-point. */
  toFace(p: Pt): Pt;
  /** Face coordinates back to image pixels. */
  fromFace(u: number, v: number): Pt;
}

/**
 * Crown height above the eye line, as a share of the eye-to-chin distance. Adult anthropometry
 * (vertex to pupil about 11.5-12 cm, pupil to menton about 11-11.5 cm) puts the eyes near the
 * middle of the head's height.
 */
export const CROWN_OVER_EYE_LINE = 1.05;

const dist = (a: Pt, b: Pt): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
const midpoint = (a: Pt, b: Pt): Pt => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

/** A frame levelled on the line from the person's right eye to their left, origin half-way. */
export interface LevelledFrame {
  readonly origin: Pt;
  /** Unit vector along the eye line (image right when upright). */
  readonly ex: Pt;
  /** Unit vector down the face. */
  readonly ey: Pt;
  /** Angle of the eye line in the image, degrees, clockwise positive (the head's roll). */
  readonly angleDeg: number;
  toFace(p: Pt): Pt;
  fromFace(u: number, v: number): Pt;
}

export function levelledFrame(rightEye: Pt, leftEye: Pt): LevelledFrame {
  const origin = midpoint(rightEye, leftEye);
  const d = Math.max(dist(rightEye, leftEye), 1e-6);
  const ex: Pt = [(leftEye[0] - rightEye[0]) / d, (leftEye[1] - rightEye[1]) / d];
  const ey: Pt = [-ex[1], ex[0]];
  return {
    origin,
    ex,
    ey,
    angleDeg: (Math.atan2(ex[1], ex[0]) * 180) / Math.PI,
    toFace: (p) => {
      const dx = p[0] - origin[0];
      const dy = p[1] - origin[1];
      return [dx * ex[0] + dy * ex[1], dx * ey[0] + dy * ey[1]];
    },
    fromFace: (u, v) => [origin[0] + u * ex[0] + v * ey[0], origin[1] + u * ex[1] + v * ey[1]],
  };
}

export function faceGeometry(face: Pick<AnalysedFace, 'mesh'>): FaceGeometry {
  const mesh = face.mesh;
  const point = (i: number): Pt => {
    const p: Point3 | undefined = mesh[i];
    if (!p) throw new RangeError(`the face mesh has no point ${i}`);
    return [p[0], p[1]];
  };
  const rightEye = midpoint(point(MESH.rightEyeOuter), point(MESH.rightEyeInner));
  const leftEye = midpoint(point(MESH.leftEyeOuter), point(MESH.leftEyeInner));
  const { origin: eyeMid, ex, ey, toFace, fromFace } = levelledFrame(rightEye, leftEye);
  const ied = Math.max(dist(rightEye, leftEye), 1e-6);
  const chin = point(MESH.chin);
  const eyeToChin = Math.max(toFace(chin)[1], 1e-6);
  const crown = fromFace(toFace(chin)[0], -CROWN_OVER_EYE_LINE * eyeToChin);
  return {
    rightEye,
    leftEye,
    eyeMid,
    ied,
    ex,
    ey,
    chin,
    crown,
    eyeToChin,
    headHeight: (1 + CROWN_OVER_EYE_LINE) * eyeToChin,
    faceHeight: dist(point(MESH.foreheadTop), chin),
    faceWidth: dist(point(MESH.rightCheekEdge), point(MESH.leftCheekEdge)),
    point,
    toFace,
    fromFace,
  };
}
