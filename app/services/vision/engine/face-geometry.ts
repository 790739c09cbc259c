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
 * Head rotation from a mesh whose x, y, z are in one pixel scale (see `HeadRotation` for signs).
 * Roll is the angle of the line through the eye centres (mid-points of each eye's corners), so
 * it does not move with gaze. Yaw and pitch come from the face's normal (the cross product of
 * the cheek-to-cheek axis, averaged with the eye-corner axis, and the forehead-to-chin axis),
 * turned back by the roll so that a tilted head's pitch does not show up as yaw.
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
  const uy = -s * zx + c * zy;
  const yaw = deg(Math.atan2(-ux, zz));
  const pitch = deg(Math.asin(Math.max(-1, Math.min(1, uy))));
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
