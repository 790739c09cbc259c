// A synthetic face for the model-free tests of the measures: a 478-point mesh with the points
// the checks read placed by hand (in inter-eye distances from the eye mid-point, then scaled,
// turned and moved into the image), and a matching painted image.
import type { AnalysedFace, HeadRotation, Point3 } from '../../../app/services/vision/engine/face-engine.ts';
import { MESH_GROUPS } from '../../../app/services/vision/checks/face-geometry.ts';
import { fromRgb, type StillPixels } from '../../../app/services/vision/checks/still-pixels.ts';

export interface SyntheticFaceOptions {
  /** Eye mid-point in image pixels. */
  readonly centre?: readonly [number, number];
  /** Inter-eye distance, pixels. */
  readonly ied?: number;
  /** Turn of the face in the image, degrees clockwise (as head roll). */
  readonly rollDeg?: number;
  readonly rotation?: Partial<HeadRotation>;
  /** Eyelid gap, in inter-eye distances. */
  readonly eyeOpening?: number;
  /** Gap between the inner lips, in inter-eye distances. */
  readonly mouthGap?: number;
  /** Mouth corners above the middle of the lips, in inter-eye distances. */
  readonly cornerLift?: number;
  /** Iris offset from the middle of each eye's corners, in eye widths ([right, down] in the face). */
  readonly irisOffset?: readonly [number, number];
}

/** Eye width (corner to corner) in inter-eye distances. */
const EYE_WIDTH = 0.5;
const IRIS_RADIUS = 0.12;

export function syntheticFace(options: SyntheticFaceOptions = {}): AnalysedFace {
  const [cx, cy] = options.centre ?? [200, 220];
  const ied = options.ied ?? 80;
  const roll = ((options.rollDeg ?? 0) * Math.PI) / 180;
  const open = options.eyeOpening ?? 0.17;
  const gap = options.mouthGap ?? 0.005;
  const lift = options.cornerLift ?? 0;
  const [ix, iy] = options.irisOffset ?? [0, -0.04];
  const face: Array<[number, number]> = Array.from({ length: 478 }, () => [0, 0.5]);
  const eye = (contour: readonly number[], centreU: number, outerSign: number) => {
    // contour: 9 points outer -> inner along the top, then 7 back inner -> outer along the bottom.
    for (let k = 0; k < 9; k++) {
      const t = k / 8;
      face[contour[k]!] = [centreU + outerSign * EYE_WIDTH * (0.5 - t), (-open / 2) * Math.sin(Math.PI * t)];
    }
    for (let k = 9; k < 16; k++) {
      const t = (16 - k) / 8;
      face[contour[k]!] = [centreU + outerSign * EYE_WIDTH * (0.5 - t), (open / 2) * Math.sin(Math.PI * t)];
    }
  };
  eye(MESH_GROUPS.rightEyeContour, -0.5, -1);
  eye(MESH_GROUPS.leftEyeContour, 0.5, 1);
  const iris = (first: number, centreU: number) => {
    const c: [number, number] = [centreU + ix * EYE_WIDTH, iy * EYE_WIDTH];
    face[first] = c;
    face[first + 1] = [c[0] + IRIS_RADIUS, c[1]];
    face[first + 2] = [c[0], c[1] - IRIS_RADIUS];
    face[first + 3] = [c[0] - IRIS_RADIUS, c[1]];
    face[first + 4] = [c[0], c[1] + IRIS_RADIUS];
  };
  iris(468, 0.5); // the person's left iris
  iris(473, -0.5);
  face[10] = [0, -0.9];
  face[152] = [0, 1.45];
  face[234] = [-0.95, 0.3];
  face[454] = [0.95, 0.3];
  face[MESH_GROUPS.rightCheek] = [-0.45, 0.7];
  face[MESH_GROUPS.leftCheek] = [0.45, 0.7];
  face[195] = [0, 0.35];
  face[61] = [-0.4, 1.0 - lift];
  face[291] = [0.4, 1.0 - lift];
  for (const [upper, lower] of MESH_GROUPS.innerLipPairs) {
    const u = upper === 13 ? 0 : upper === 82 ? -0.1 : 0.1;
    face[upper] = [u, 1.0 - gap / 2];
    face[lower] = [u, 1.0 + gap / 2];
  }
  const c = Math.cos(roll);
  const s = Math.sin(roll);
  const mesh: Point3[] = face.map(([u, v]) => [cx + ied * (u * c - v * s), cy + ied * (u * s + v * c), 0]);
  const xs = mesh.slice(0, 468).map((p) => p[0]);
  const ys = mesh.slice(0, 468).map((p) => p[1]);
  const x0 = Math.floor(Math.min(...xs));
  const y0 = Math.floor(Math.min(...ys));
  const at = (i: number): [number, number] => [mesh[i]![0], mesh[i]![1]];
  return {
    box: [x0, y0, Math.ceil(Math.max(...xs)) - x0, Math.ceil(Math.max(...ys)) - y0],
    score: 1,
    detectorScore: 1,
    rotation: { roll: options.rollDeg ?? 0, yaw: 0, pitch: 0, ...options.rotation },
    mesh,
    iris: {
      left: { center: at(468), radius: IRIS_RADIUS * ied },
      right: { center: at(473), radius: IRIS_RADIUS * ied },
    },
    annotations: {},
  };
}

export interface PaintOptions {
  readonly width?: number;
  readonly height?: number;
  /** Backdrop luma at (x, y); default a plain 200. */
  readonly background?: (x: number, y: number) => number;
  /** Skin luma at (x, y) (inside the face oval); default 170. */
  readonly skin?: (x: number, y: number) => number;
  /** Paint the eyes (white with a dark iris); default true. */
  readonly eyes?: boolean;
}

/** A grey image of the synthetic face: backdrop, a skin-coloured oval, and the eyes. */
export function paintFace(face: AnalysedFace, options: PaintOptions = {}): StillPixels {
  const width = options.width ?? 400;
  const height = options.height ?? 520;
  const background = options.background ?? (() => 200);
  const skin = options.skin ?? (() => 170);
  const p = (i: number) => face.mesh[i]!;
  const mid: [number, number] = [(p(33)[0] + p(263)[0]) / 2, (p(33)[1] + p(263)[1]) / 2];
  const ied = Math.hypot(p(263)[0] - p(33)[0], p(263)[1] - p(33)[1]) / 1.5;
  const eyes = options.eyes ?? true;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - mid[0]) / ied;
      const dy = (y + 0.5 - (mid[1] + 0.35 * ied)) / ied;
      let v = (dx / 1.0) ** 2 + (dy / 1.3) ** 2 <= 1 ? skin(x, y) : background(x, y);
      if (eyes) {
        for (const [c, irisIndex] of [
          [[(p(33)[0] + p(133)[0]) / 2, (p(33)[1] + p(133)[1]) / 2], 473],
          [[(p(263)[0] + p(362)[0]) / 2, (p(263)[1] + p(362)[1]) / 2], 468],
        ] as const) {
          const ex = (x + 0.5 - c[0]) / (0.25 * ied);
          const ey = (y + 0.5 - c[1]) / (0.09 * ied);
          if (ex * ex + ey * ey <= 1) {
            const iris = p(irisIndex);
            v = Math.hypot(x + 0.5 - iris[0], y + 0.5 - iris[1]) < 0.11 * ied ? 40 : 235;
          }
        }
      }
      const i = (y * width + x) * 3;
      rgb[i] = rgb[i + 1] = rgb[i + 2] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return fromRgb(rgb, width, height);
}
