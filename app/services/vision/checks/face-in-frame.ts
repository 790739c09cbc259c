/**
 * face.inFrame: the whole head, with the margins the document's crop needs, lies inside the
 * photo. The crop is the tightest one the document allows (head height at the top of its range),
 * levelled on the eye line, centred on the face, with the crown a set share of the free space
 * below the top edge. The value is the share of that crop inside the photo.
 */
import { atLeast, type CheckResult } from './check-result.ts';
import type { CropNeeds } from './crop-needs.ts';
import { CROWN_OVER_EYE_LINE, type FaceGeometry, type Pt } from './face-geometry.ts';
import type { FaceContext } from './face-context.ts';

export interface CropPlacement {
  /** The crop's corners in image pixels: top-left, top-right, bottom-right, bottom-left. */
  readonly corners: readonly [Pt, Pt, Pt, Pt];
  /** Share of the crop inside the image, 0..1. */
  readonly inside: number;
  /** Edges of the image the crop runs past. */
  readonly pastEdges: ReadonlyArray<'top' | 'bottom' | 'left' | 'right'>;
  /** The crop is larger than the image in width or height (nothing can fit it). */
  readonly tooLarge: boolean;
}

const GRID = 40;

/** Where the document's tightest crop lies for this face, and how much of it is inside the image. */
export function placeCrop(
  geometry: FaceGeometry,
  image: { readonly width: number; readonly height: number },
  needs: CropNeeds,
): CropPlacement {
  const share = needs.headHeight.max;
  const h = geometry.headHeight / share;
  const w = (h * needs.widthMm) / needs.heightMm;
  const crownV = -CROWN_OVER_EYE_LINE * geometry.eyeToChin;
  const top = crownV - needs.topShareOfMargin * (1 - share) * h;
  const right = geometry.toFace(geometry.point(234))[0];
  const left = geometry.toFace(geometry.point(454))[0];
  const centreU = (right + left) / 2;
  const at = (a: number, b: number): Pt => geometry.fromFace(centreU + (a - 0.5) * w, top + b * h);
  let inside = 0;
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      const [x, y] = at((i + 0.5) / GRID, (j + 0.5) / GRID);
      if (x >= 0 && y >= 0 && x <= image.width && y <= image.height) inside++;
    }
  }
  const corners = [at(0, 0), at(1, 0), at(1, 1), at(0, 1)] as const;
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const pastEdges: Array<'top' | 'bottom' | 'left' | 'right'> = [];
  if (Math.min(...ys) < -0.5) pastEdges.push('top');
  if (Math.max(...ys) > image.height + 0.5) pastEdges.push('bottom');
  if (Math.min(...xs) < -0.5) pastEdges.push('left');
  if (Math.max(...xs) > image.width + 0.5) pastEdges.push('right');
  return {
    corners,
    inside: inside / (GRID * GRID),
    pastEdges,
    tooLarge: w > image.width || h > image.height,
  };
}

export function checkFaceInFrame(ctx: FaceContext): CheckResult {
  const crop = placeCrop(ctx.geometry, ctx.image, ctx.needs);
  const limit = ctx.limits.minCropInside;
  const pct = Math.round(crop.inside * 100);
  const edges = crop.pastEdges.join(' and ');
  return atLeast(
    'face.inFrame',
    crop.inside,
    limit,
    {
      pass: 'The whole head, with the margins the document needs, is inside the photo.',
      fail: crop.tooLarge
        ? `The head is too close to the camera: the document's crop does not fit in the photo (${pct}% of it is inside).`
        : `The head is too near the ${edges || 'edge'} of the photo: only ${pct}% of the document's crop is inside it.`,
    },
    crop.tooLarge ? 'hint.moveBack' : 'hint.centerFace',
    3,
  );
}
