/**
 * Plans a document's crop from the head's landmarks: the rotation that levels the eyes (where the
 * spec allows it), the scale that puts the head height in the middle of its range, the eye line
 * and top margin inside theirs, the face centred, and the frame inside the still. Where no crop
 * meets every rule, the plan says which rule fails (a retake is needed). Pure geometry.
 */
import type { DocumentSpec } from '../../../config/documents/document-spec.ts';
import type { Pt } from '../vision/checks/face-geometry.ts';
import type { HeadLandmarks } from './head-landmarks.ts';
import { rangeRule, type ProductionRule } from './production-rule.ts';

export interface CropFrame {
  /** Size of the photo on the print, mm. */
  readonly widthMm: number;
  readonly heightMm: number;
  readonly headHeightMm: { readonly min: number; readonly max: number };
  readonly eyeLineFromBottomMm?: { readonly min: number; readonly max: number } | undefined;
  readonly topMarginMm?: { readonly min: number; readonly max: number } | undefined;
  readonly bottomMarginMm?: { readonly min: number; readonly max: number } | undefined;
  readonly headWidthMm?: { readonly min: number; readonly max: number } | undefined;
  readonly maxOffCentreMm: number;
}

export interface CropOptions {
  /** Fewest dots per inch the print may get from the still's own pixels. */
  readonly minPrintDpi: number;
  /** Rotate to level the eyes (else the crop keeps the still's axes). */
  readonly levelEyes: boolean;
  readonly image: { readonly width: number; readonly height: number };
  /** Output size in pixels (the frame's shape). */
  readonly outputPx: { readonly width: number; readonly height: number };
}

export interface CropPlan {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Output pixels per still pixel. */
  readonly scale: number;
  /** Clockwise rotation applied to the still, degrees (levels the eyes). */
  readonly rotationDeg: number;
  /** Where an output pixel position (continuous, top-left origin) lies in the still. */
  toStill(x: number, y: number): Pt;
  /** Where a still pixel position lies in the output. */
  fromStill(p: Pt): Pt;
  /** What the plan puts on the print. */
  readonly planned: {
    readonly headHeightMm: number;
    readonly eyeLineMm: number;
    readonly topMarginMm: number;
    readonly offCentreMm: number;
    readonly printDpi: number;
    /** Still pixels per millimetre of print. */
    readonly stillPxPerMm: number;
  };
  /** Every rule the geometry decides, with the planned values. */
  readonly rules: readonly ProductionRule[];
  readonly feasible: boolean;
}

/** The frame a spec's print asks for. */
export function printFrame(spec: DocumentSpec): CropFrame {
  return {
    widthMm: spec.print.widthMm,
    heightMm: spec.print.heightMm,
    headHeightMm: spec.head.heightMm,
    eyeLineFromBottomMm: spec.eyeLineFromBottomMm,
    topMarginMm: spec.topMarginMm,
    bottomMarginMm: spec.bottomMarginMm,
    headWidthMm: spec.head.widthMm,
    maxOffCentreMm: spec.maxOffCentreMm,
  };
}

const mid = (r: { min: number; max: number }) => (r.min + r.max) / 2;
const MM_PER_INCH = 25.4;
/** The crown must have at least this much room above it even where no top margin is published. */
const MIN_TOP_MARGIN_MM = 1;

interface Candidate {
  readonly headMm: number;
  readonly eyeMm: number;
  readonly offMm: number;
}

export function planCrop(head: HeadLandmarks, frame: CropFrame, options: CropOptions): CropPlan {
  const { width: widthPx, height: heightPx } = options.outputPx;
  const pxPerMm = heightPx / frame.heightMm;
  // Without levelling, the crop keeps the still's axes: a frame through the eye mid-point.
  const levelled = options.levelEyes;
  const f = levelled ? head.frame : unrotated(head.frame);
  const inFrame = (u: number, v: number) => f.toFace(head.frame.fromFace(u, v));
  const crownV = inFrame(head.centreU, head.crownV)[1];
  const chinV = inFrame(head.centreU, head.chinV)[1];
  const centreU = inFrame(head.centreU, 0)[0];
  const headPx = chinV - crownV; // still pixels, chin to crown
  const above = -crownV / headPx; // share of the head above the eye line

  const topMarginOf = (c: Candidate) => frame.heightMm - c.eyeMm - above * c.headMm;
  const geometry = (c: Candidate) => {
    const stillPerMm = headPx / c.headMm; // still pixels per print mm
    const bottomV = c.eyeMm * stillPerMm;
    const topV = bottomV - frame.heightMm * stillPerMm;
    const leftU = centreU - c.offMm * stillPerMm - (frame.widthMm / 2) * stillPerMm;
    const scale = pxPerMm / stillPerMm;
    return { stillPerMm, topV, leftU, scale };
  };
  // How far the frame runs past each edge of the still, in print mm.
  const pastEdges = (c: Candidate) => {
    const g = geometry(c);
    const corners = [
      f.fromFace(g.leftU, g.topV),
      f.fromFace(g.leftU + frame.widthMm * g.stillPerMm, g.topV),
      f.fromFace(g.leftU, g.topV + frame.heightMm * g.stillPerMm),
      f.fromFace(g.leftU + frame.widthMm * g.stillPerMm, g.topV + frame.heightMm * g.stillPerMm),
    ];
    const { width, height } = options.image;
    const past = { top: 0, bottom: 0, left: 0, right: 0 };
    for (const [x, y] of corners) {
      past.left = Math.max(past.left, -x);
      past.right = Math.max(past.right, x - width);
      past.top = Math.max(past.top, -y);
      past.bottom = Math.max(past.bottom, y - height);
    }
    for (const k of Object.keys(past) as Array<keyof typeof past>) past[k] = past[k] / g.stillPerMm;
    return past;
  };
  // The print's dots per inch from the still's own pixels (whatever the output's resolution).
  const printDpi = (c: Candidate) => MM_PER_INCH * geometry(c).stillPerMm;
  const rulesFor = (c: Candidate): ProductionRule[] => {
    const past = pastEdges(c);
    const worst = Math.max(past.top, past.bottom, past.left, past.right);
    const edges = (Object.keys(past) as Array<keyof typeof past>).filter((k) => past[k] > 0.05);
    const topMargin = topMarginOf(c);
    const rules: ProductionRule[] = [rangeRule('head.height', c.headMm, 'mm', frame.headHeightMm)];
    if (frame.eyeLineFromBottomMm)
      rules.push(rangeRule('eye.line', c.eyeMm, 'mm', frame.eyeLineFromBottomMm));
    rules.push(
      rangeRule('top.margin', topMargin, 'mm', frame.topMarginMm ?? { min: MIN_TOP_MARGIN_MM }),
      rangeRule('face.centred', Math.abs(c.offMm), 'mm', { max: frame.maxOffCentreMm }),
    );
    if (frame.bottomMarginMm)
      rules.push(rangeRule('bottom.margin', c.eyeMm - (1 - above) * c.headMm, 'mm', frame.bottomMarginMm));
    if (frame.headWidthMm)
      rules.push(
        rangeRule(
          'head.width',
          head.headWidthPx === null ? null : (head.headWidthPx * c.headMm) / headPx,
          'mm',
          frame.headWidthMm,
        ),
      );
    const inside = rangeRule('crop.inside', Math.max(0, worst), 'mm', { max: 0.05 });
    rules.push(
      edges.length
        ? {
            ...inside,
            message: `The head is too close to the ${edges.join(' and ')} edge of the still: the photo would need ${
              Math.round(worst * 10) / 10
            } mm more there`,
          }
        : inside,
      rangeRule('resolution', printDpi(c), 'dpi', { min: options.minPrintDpi }),
    );
    return rules;
  };

  // Preferred placement: head height mid-range; eye line mid-range where published, else the top
  // margin mid-range, else 40% of the free height above the head; face centred.
  const preferredEye = (headMm: number): number => {
    if (frame.eyeLineFromBottomMm) return mid(frame.eyeLineFromBottomMm);
    const top = frame.topMarginMm ? mid(frame.topMarginMm) : 0.4 * (frame.heightMm - headMm);
    return frame.heightMm - top - above * headMm;
  };
  const preferred: Candidate = {
    headMm: mid(frame.headHeightMm),
    eyeMm: preferredEye(mid(frame.headHeightMm)),
    offMm: 0,
  };
  const headSpan = Math.max(frame.headHeightMm.max - frame.headHeightMm.min, 0.5);
  const eyeSpan = frame.eyeLineFromBottomMm
    ? Math.max(frame.eyeLineFromBottomMm.max - frame.eyeLineFromBottomMm.min, 0.5)
    : 6;
  const cost = (c: Candidate) =>
    ((c.headMm - preferred.headMm) / headSpan) ** 2 +
    ((c.eyeMm - preferredEye(c.headMm)) / eyeSpan) ** 2 +
    0.5 * (c.offMm / Math.max(frame.maxOffCentreMm, 0.5)) ** 2;

  // A grid search: every combination is a handful of multiplications, so the whole search is a
  // few thousand of them, and it finds the best crop that meets every rule when one exists.
  let best: Candidate | null = null;
  let bestCost = Infinity;
  const steps = 24;
  for (let i = 0; i <= steps; i++) {
    const headMm = frame.headHeightMm.min + (i / steps) * (frame.headHeightMm.max - frame.headHeightMm.min);
    const eyeCentre = preferredEye(headMm);
    for (let j = -24; j <= 24; j++) {
      const eyeMm = eyeCentre + j * 0.4;
      for (let k = -4; k <= 4; k++) {
        const c: Candidate = { headMm, eyeMm, offMm: (k / 4) * frame.maxOffCentreMm };
        const candidateCost = cost(c);
        if (candidateCost >= bestCost) continue;
        if (rulesFor(c).every((r) => r.pass)) {
          best = c;
          bestCost = candidateCost;
        }
      }
    }
  }
  const chosen = best ?? preferred;
  const g = geometry(chosen);
  const rules = rulesFor(chosen);
  return {
    widthPx,
    heightPx,
    scale: g.scale,
    rotationDeg: levelled ? -head.frame.angleDeg : 0,
    toStill: (x, y) => f.fromFace(g.leftU + x / g.scale, g.topV + y / g.scale),
    fromStill: (p) => {
      const [u, v] = f.toFace(p);
      return [(u - g.leftU) * g.scale, (v - g.topV) * g.scale];
    },
    planned: {
      headHeightMm: chosen.headMm,
      eyeLineMm: chosen.eyeMm,
      topMarginMm: topMarginOf(chosen),
      offCentreMm: chosen.offMm,
      printDpi: printDpi(chosen),
      stillPxPerMm: g.stillPerMm,
    },
    rules,
    feasible: best !== null,
  };
}

/** The same origin with the still's own axes. */
function unrotated(frame: HeadLandmarks['frame']): HeadLandmarks['frame'] {
  const [ox, oy] = frame.origin;
  return {
    origin: frame.origin,
    ex: [1, 0],
    ey: [0, 1],
    angleDeg: 0,
    toFace: (p) => [p[0] - ox, p[1] - oy],
    fromFace: (u, v) => [ox + u, oy + v],
  };
}
