/**
 * The head's landmarks a compliant crop is built from, in the still's pixels and in a frame
 * levelled on the eye line: the eye line from the iris centres, the chin from the face mesh,
 * the crown from the person's segmentation mask with an anthropometric fallback.
 */
import { MESH, type AnalysedFace } from '../vision/engine/face-engine.ts';
import {
  CROWN_OVER_EYE_LINE,
  faceGeometry,
  levelledFrame,
  type LevelledFrame,
  type Pt,
} from '../vision/checks/face-geometry.ts';

/** Person probability 0..255 at a point of the still; null outside the area the mask covers. */
export interface MaskSampler {
  alphaAt(p: Pt): number | null;
  /** The same, interpolated between mask pixels (for carrying the mask through a crop). */
  smoothAlphaAt(p: Pt): number | null;
  /** Size of one mask pixel in still pixels (how finely the mask can be walked). */
  readonly step: number;
}

export interface HeadLandmarks {
  /** Levelled on the iris centres (or the eye centres without irises); origin half-way between them. */
  readonly frame: LevelledFrame;
  readonly eyeSource: 'iris' | 'eye-corners';
  /** Positions down the face (v in `frame`, still pixels; negative is above the eye line). */
  readonly chinV: number;
  readonly crownV: number;
  readonly crownSource: 'mask' | 'anthropometric';
  /** Top of the hair from the mask, when the mask shows it (v in `frame`). */
  readonly hairTopV: number | null;
  /** Top of the skull estimated from the eye-to-chin distance and the face's width. */
  readonly skullTopV: number;
  /** The face's centre line across (u in `frame`): half-way between the cheek edges. */
  readonly centreU: number;
  /** Cheek edge to cheek edge, still pixels. */
  readonly faceWidth: number;
  /**
   * The head's width, still pixels: the face mesh's widest span (cheek to cheek at the ears),
   * hair at the sides not included, as the authorities' templates draw the head's outline.
   */
  readonly headWidthPx: number | null;
}

export interface LandmarkOptions {
  /** `head`: top of the skull, hair volume ignored; `hair`: top of the hair. */
  readonly crown: 'head' | 'hair';
  readonly mask?: MaskSampler | null;
}

/** Alpha at or above which a mask pixel is the person. */
const PERSON = 128;

/**
 * The skull's top above the eye line as a share of the face's width (cheek to cheek). Adults'
 * skulls rise about as far above the eyes as the chin lies below them (`CROWN_OVER_EYE_LINE`),
 * but a child's face is short for its skull: measured on the width, which grows with the skull,
 * the child's crown is not cut. The larger of the two estimates counts.
 */
const SKULL_OVER_FACE_WIDTH = 0.85;

export function headLandmarks(face: AnalysedFace, options: LandmarkOptions): HeadLandmarks {
  const geometry = faceGeometry(face);
  const irisFrame = face.iris ? levelledFrame(face.iris.right.center, face.iris.left.center) : null;
  const frame = irisFrame ?? levelledFrame(geometry.rightEye, geometry.leftEye);
  const v = (p: Pt) => frame.toFace(p)[1];
  const u = (p: Pt) => frame.toFace(p)[0];
  const chinV = v(geometry.point(MESH.chin));
  const centreU = (u(geometry.point(MESH.rightCheekEdge)) + u(geometry.point(MESH.leftCheekEdge))) / 2;
  const skullTopV = -Math.max(CROWN_OVER_EYE_LINE * chinV, SKULL_OVER_FACE_WIDTH * geometry.faceWidth);
  const foreheadV = v(geometry.point(MESH.foreheadTop));
  const hairTopV = options.mask
    ? topOfPerson(options.mask, frame, centreU, geometry.faceWidth, foreheadV, chinV)
    : null;

  let crownV: number;
  let crownSource: HeadLandmarks['crownSource'];
  if (hairTopV === null) {
    crownV = skullTopV;
    crownSource = 'anthropometric';
  } else if (options.crown === 'hair') {
    crownV = hairTopV;
    crownSource = 'mask';
  } else {
    // Where the mask's top lies below the estimate (short hair, a bald head) the mask is the
    // better measure; above it, the difference is hair, which a `head` crown ignores.
    crownV = Math.max(hairTopV, skullTopV);
    crownSource = hairTopV >= skullTopV ? 'mask' : 'anthropometric';
  }
  return {
    frame,
    eyeSource: irisFrame ? 'iris' : 'eye-corners',
    chinV,
    crownV,
    crownSource,
    hairTopV,
    skullTopV,
    centreU,
    faceWidth: geometry.faceWidth,
    headWidthPx: geometry.faceWidth,
  };
}

/**
 * Walks up from the forehead in a few columns near the face's centre line until the mask says
 * background; the highest column top is the top of the hair. Null when the mask does not reach
 * above the head (the head runs off the mask or the still), so the crown is not in sight.
 */
function topOfPerson(
  mask: MaskSampler,
  frame: LevelledFrame,
  centreU: number,
  faceWidth: number,
  foreheadV: number,
  chinV: number,
): number | null {
  const step = Math.max(0.5, mask.step / 2);
  const limitV = foreheadV - 2 * chinV; // far above any head
  const tops: number[] = [];
  for (let i = -3; i <= 3; i++) {
    const columnU = centreU + (i / 3) * 0.15 * faceWidth;
    let background = 0;
    let top: number | null = null;
    for (let v = foreheadV; v >= limitV; v -= step) {
      const alpha = mask.alphaAt(frame.fromFace(columnU, v));
      if (alpha === null) break; // ran off the mask before the head ended
      if (alpha < PERSON) {
        background++;
        // Three background samples in a row: a gap between hair strands is shorter than that.
        if (background >= 3) {
          top = v + (background - 0.5) * step;
          break;
        }
      } else background = 0;
    }
    if (top !== null) tops.push(top);
  }
  // Most columns must find the top; a head cut off by the still's edge leaves them open.
  if (tops.length < 5) return null;
  tops.sort((a, b) => a - b);
  return tops[1]!; // the second highest: one stray column (a lifted hair) does not set the crown
}
