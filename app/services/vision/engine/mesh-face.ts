/**
 * Pure geometry that turns the model's raw face (mesh points in the pixels of the analysed
 * image) into an `AnalysedFace` in the pixels of the image as given: box, head rotation, irises.
 * No model and no tfjs here, so it is tested on its own and runs in the worker.
 */
import {
  MESH,
  type AnalysedFace,
  type Box,
  type HeadRotation,
  type IrisEstimate,
  type Point3,
} from './face-engine.ts';

/** Input size of the face-mesh model: its z values are in pixels of a crop this wide. */
export const MESH_INPUT_SIZE = 192;

/** A face as the model reports it, in pixels of the analysed (possibly scaled-down) image. */
export interface RawFace {
  /** 468 or 478 points; x, y in analysed pixels; z in pixels of the `MESH_INPUT_SIZE` crop. */
  readonly mesh: ReadonlyArray<readonly (number | undefined)[]>;
  /** Width in analysed pixels of the square crop the mesh model ran on. */
  readonly cropSize: number;
  readonly score: number;
  readonly detectorScore: number;
  readonly annotations: Readonly<Record<string, ReadonlyArray<readonly (number | undefined)[] | undefined>>>;
}

type Vec3 = [number, number, number];

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec3): Vec3 => {
  const l = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
};
const deg = (rad: number): number => (rad * 180) / Math.PI;

const round = (v: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/**
 * MediaPipe's canonical face (`canonical_face_model.obj` in mediapipe/modules/face_geometry/data,
 * centimetres) at the landmarks MediaPipe's own face-geometry pipeline fits the head pose on,
 * with that pipeline's weights (`procrustes_landmark_basis` in
 * geometry_pipeline_metadata_landmarks.pbtxt). Axes as in the image: x to the image's right, y
 * down, z away from the camera (the .obj has y up and z towards the viewer, so both are negated
 * here). The face is symmetric: a row is a point on the person's left (x > 0, `left`) and its
 * mirror twin on the person's right (`right`), or a point on the mid-line (`left === right`).
 * The weights favour the nose, the eye corners and the cheekbones; the chin, which moves with
 * the jaw, has none.
 */
const CANONICAL_POSE_BASIS: ReadonlyArray<
  readonly [left: number, right: number, x: number, y: number, z: number, weight: number]
> = [
  [4, 4, 0, 0.46317, -7.58658, 0.070909939706326],
  [6, 6, 0, -2.473255, -5.788627, 0.032100144773722],
  [10, 10, 0, -8.261778, -4.481535, 0.008446550928056],
  [263, 33, 4.445859, -2.663991, -3.173422, 0.058724168688059],
  [284, 54, 6.279331, -6.615427, -1.42585, 0.007667080033571],
  [297, 67, 3.523964, -8.005976, -3.729163, 0.009078059345484],
  [346, 117, 5.258659, -0.945811, -2.974312, 0.009791937656701],
  [348, 119, 3.300681, -0.861641, -3.872784, 0.014565368182957],
  [350, 121, 1.820731, -1.467954, -4.224124, 0.018591361120343],
  [356, 127, 7.743095, -2.364999, 2.005167, 0.005197994410992],
  [358, 129, 1.785794, 0.978284, -4.85047, 0.120625205338001],
  [361, 132, 7.270895, 2.890917, 2.252455, 0.005560018587857],
  [362, 133, 1.856432, -2.585245, -3.757904, 0.05328618362546],
  [365, 136, 5.085276, 7.17859, -0.714711, 0.066890455782413],
  [372, 143, 6.407571, -2.236021, -1.560843, 0.014816547743976],
  [376, 147, 6.234883, 1.94443, -1.663542, 0.014262833632529],
  [420, 198, 1.246815, -0.230297, -5.681036, 0.025462191551924],
  [425, 205, 3.832928, 1.537326, -4.137731, 0.047252278774977],
];

/** The weighted landmarks of the canonical face (see `CANONICAL_POSE_BASIS`), one per mesh index. */
export const CANONICAL_POSE_LANDMARKS: ReadonlyArray<{
  readonly index: number;
  readonly point: Readonly<Vec3>;
  readonly weight: number;
}> = CANONICAL_POSE_BASIS.flatMap(([left, right, x, y, z, weight]) =>
  left === right
    ? [{ index: left, point: [x, y, z] as Vec3, weight }]
    : [
        { index: left, point: [x, y, z] as Vec3, weight },
        { index: right, point: [-x, y, z] as Vec3, weight },
      ],
);

/**
 * The rotation that best turns the canonical face onto the mesh (weighted least squares over
 * `CANONICAL_POSE_LANDMARKS`, any scale and shift; Horn's closed form with unit quaternions), as
 * `[roll, yaw, pitch]` in degrees with the signs of `HeadRotation`: the mesh is the canonical
 * face turned by the pitch about x, then the yaw about y, then the roll about z. The canonical
 * face at zero pose is MediaPipe's "looking straight into the camera", so a frontal head reads 0
 * without a correction constant. This is the pose MediaPipe's face-geometry pipeline computes.
 */
export function canonicalPose(mesh: ReadonlyArray<Vec3>): [roll: number, yaw: number, pitch: number] {
  let total = 0;
  const c: Vec3 = [0, 0, 0];
  const m: Vec3 = [0, 0, 0];
  for (const { index, point, weight } of CANONICAL_POSE_LANDMARKS) {
    const q = mesh[index]!;
    total += weight;
    for (let k = 0; k < 3; k++) {
      c[k] = c[k]! + weight * point[k]!;
      m[k] = m[k]! + weight * q[k]!;
    }
  }
  for (let k = 0; k < 3; k++) {
    c[k] = c[k]! / total;
    m[k] = m[k]! / total;
  }
  // Weighted cross-covariance S[a][b] = sum w (canonical_a - c_a)(mesh_b - m_b).
  const S = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (const { index, point, weight } of CANONICAL_POSE_LANDMARKS) {
    const q = mesh[index]!;
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) S[a]![b]! += weight * (point[a]! - c[a]!) * (q[b]! - m[b]!);
  }
  const [[xx, xy, xz], [yx, yy, yz], [zx, zy, zz]] = S as [Vec3, Vec3, Vec3];
  const [w, x, y, z] = largestEigenvector([
    [xx + yy + zz, yz - zy, zx - xz, xy - yx],
    [yz - zy, xx - yy - zz, xy + yx, zx + xz],
    [zx - xz, xy + yx, -xx + yy - zz, yz + zy],
    [xy - yx, zx + xz, yz + zy, -xx - yy + zz],
  ]);
  // The rotation matrix of the unit quaternion (w, x, y, z); image point = R * canonical point.
  const r00 = w * w + x * x - y * y - z * z;
  const r10 = 2 * (x * y + w * z);
  const r20 = 2 * (x * z - w * y);
  const r21 = 2 * (y * z + w * x);
  const r22 = w * w - x * x - y * y + z * z;
  // R turns by the pitch about x, then the yaw about y, then the roll about z (signs as in
  // `HeadRotation`); its bottom row is [sin yaw, -cos yaw sin pitch, cos yaw cos pitch].
  return [
    deg(Math.atan2(r10, r00)),
    deg(Math.asin(Math.max(-1, Math.min(1, r20)))),
    deg(Math.atan2(-r21, r22)),
  ];
}

/** Eigenvector of the largest eigenvalue of a symmetric 4x4 matrix (cyclic Jacobi rotations). */
function largestEigenvector(matrix: number[][]): [number, number, number, number] {
  const a = matrix.map((row) => [...row]);
  const v: number[][] = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 1 : 0)));
  let size = 0;
  for (const row of a) for (const value of row) size += value * value;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < 4; p++) for (let q = p + 1; q < 4; q++) off += a[p]![q]! ** 2;
    if (off <= 1e-30 * size) break;
    for (let p = 0; p < 4; p++) {
      for (let q = p + 1; q < 4; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < 4; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = cos * akp - sin * akq;
          a[k]![q] = sin * akp + cos * akq;
        }
        for (let k = 0; k < 4; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = cos * apk - sin * aqk;
          a[q]![k] = sin * apk + cos * aqk;
        }
        for (let k = 0; k < 4; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = cos * vkp - sin * vkq;
          v[k]![q] = sin * vkp + cos * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < 4; i++) if (a[i]![i]! > a[best]![best]!) best = i;
  return [v[0]![best]!, v[1]![best]!, v[2]![best]!, v[3]![best]!];
}

/**
 * Head rotation from a mesh whose x, y, z are in one pixel scale (see `HeadRotation` for signs).
 * - Roll is the angle of the line through the eye centres (mid-points of each eye's corners), so
 *   it does not move with gaze.
 * - Yaw comes from the face's normal (the cross product of the cheek-to-cheek axis, averaged with
 *   the eye-corner axis, and the forehead-to-chin axis), turned back by the roll so that a tilted
 *   head's pitch does not show up as yaw.
 * - Pitch is the pitch of the canonical face fitted to the mesh (`canonicalPose`), so 0 is
 *   MediaPipe's own frontal pose. The face normal used to give pitch too, read off the
 *   forehead-to-chin line (points 10 and 152): that line leans 0.7° at rest (the canonical chin
 *   lies 0.22 cm deeper than the forehead top, 17.7 cm above it), and the chin moves with the jaw
 *   (an open mouth painted on test3 read 3.6° more chin-down; the fit, which leaves the chin out,
 *   1.9°). On the portrait fixtures both read within 2.3° of each other.
 */
export function headRotation(mesh: ReadonlyArray<Vec3>): HeadRotation {
  const p = (i: number): Vec3 => mesh[i]!;
  const rightEye = mid(p(MESH.rightEyeOuter), p(MESH.rightEyeInner));
  const leftEye = mid(p(MESH.leftEyeOuter), p(MESH.leftEyeInner));
  const roll = deg(Math.atan2(leftEye[1] - rightEye[1], leftEye[0] - rightEye[0]));

  // x: from the person's right to their left (image left to right when frontal).
  const xAxis = norm(
    add(
      norm(sub(p(MESH.leftCheekEdge), p(MESH.rightCheekEdge))),
      norm(sub(p(MESH.leftEyeOuter), p(MESH.rightEyeOuter))),
    ),
  );
  // y: from the forehead down to the chin.
  const yAxis = norm(sub(p(MESH.chin), p(MESH.foreheadTop)));
  // z = x × y points away from the camera for a frontal face; the face looks along -z.
  // Turn it back by the roll first, so a tilted head's pitch does not read as yaw.
  const [zx, zy, zz] = norm(cross(xAxis, yAxis));
  const c = Math.cos((roll * Math.PI) / 180);
  const s = Math.sin((roll * Math.PI) / 180);
  const ux = c * zx + s * zy;
  const yaw = deg(Math.atan2(-ux, zz));
  const pitch = canonicalPose(mesh)[2];
  return { roll: round(roll), yaw: round(yaw), pitch: round(pitch) };
}

function mid(a: Vec3, b: Vec3): Vec3 {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
}

function iris(mesh: ReadonlyArray<Vec3>, centre: number): IrisEstimate {
  const c = mesh[centre]!;
  let sum = 0;
  for (let i = 1; i <= 4; i++) {
    const q = mesh[centre + i]!;
    sum += Math.hypot(q[0] - c[0], q[1] - c[1]);
  }
  return { center: [round(c[0], 1), round(c[1], 1)], radius: round(sum / 4, 2) };
}

/**
 * Converts one raw face to the pixels of the image as given.
 * `scale` is analysed size / given size (1 when the image was not scaled down).
 */
export function toAnalysedFace(raw: RawFace, scale: number, width: number, height: number): AnalysedFace {
  const back = 1 / scale;
  const zScale = (raw.cropSize / MESH_INPUT_SIZE) * back;
  const toPoint = (pt: readonly (number | undefined)[]): Point3 => [
    round((pt[0] ?? 0) * back, 1),
    round((pt[1] ?? 0) * back, 1),
    round((pt[2] ?? 0) * zScale, 1),
  ];
  const mesh = raw.mesh.map(toPoint);
  const rotation = headRotation(mesh);

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < Math.min(468, mesh.length); i++) {
    const [x, y] = mesh[i]!;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const x0 = Math.max(0, Math.floor(minX));
  const y0 = Math.max(0, Math.floor(minY));
  const x1 = Math.min(width, Math.ceil(maxX));
  const y1 = Math.min(height, Math.ceil(maxY));
  const box: Box = [x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0)];

  const annotations: Record<string, Point3[]> = {};
  for (const [name, points] of Object.entries(raw.annotations)) {
    // Iris groups point past the end of a 468-point mesh when the iris model did not run.
    const known = points.filter(
      (pt): pt is readonly (number | undefined)[] => Array.isArray(pt) && pt.length >= 2,
    );
    if (known.length === points.length && known.length > 0) annotations[name] = known.map(toPoint);
  }

  const face: AnalysedFace = {
    box,
    score: round(raw.score),
    detectorScore: round(raw.detectorScore),
    rotation,
    mesh,
    annotations,
    ...(mesh.length >= 478
      ? { iris: { left: iris(mesh, MESH.leftIrisCenter), right: iris(mesh, MESH.rightIrisCenter) } }
      : {}),
  };
  return face;
}
