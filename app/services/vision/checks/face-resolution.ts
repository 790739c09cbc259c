/**
 * face.resolution: enough pixels for the document's print. The value is the print resolution
 * (pixels per inch) the photo gets when the crop puts the head at the middle of the document's
 * head-height range and is printed at the document's size.
 */
import { atLeast, type CheckResult } from './check-result.ts';
import type { CropNeeds } from './crop-needs.ts';
import type { FaceContext } from './face-context.ts';

/** Pixels per inch of the printed photo, for a head `headHeightPx` pixels high in the still. */
export function printDpi(headHeightPx: number, needs: CropNeeds): number {
  const share = (needs.headHeight.min + needs.headHeight.max) / 2;
  return headHeightPx / share / (needs.heightMm / 25.4);
}

export function checkFaceResolution(ctx: FaceContext): CheckResult {
  const dpi = printDpi(ctx.geometry.headHeight, ctx.needs);
  const limit = ctx.limits.minPrintDpi;
  const size = `${ctx.needs.widthMm}x${ctx.needs.heightMm} mm`;
  return atLeast(
    'face.resolution',
    dpi,
    limit,
    {
      pass: `Enough pixels: ${Math.round(dpi)} pixels per inch at the ${size} print (${limit} needed).`,
      fail: `The face has too few pixels: ${Math.round(dpi)} pixels per inch at the ${size} print, ${limit} needed.`,
    },
    'hint.moveCloser',
    0,
  );
}
