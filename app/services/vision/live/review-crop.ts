/**
 * The review screen's picture of the ID photo that will print: the crop production plans for
 * the document (levelled, head height and eye line placed per the spec), found from the still's
 * face analysis, as plain numbers the session may hold, and rendered small for the screen.
 * Production plans again with the person's mask (the crown), so the print can sit a fraction of
 * a millimetre higher or lower than this preview; the framing is the same.
 */
import sharp from 'sharp';
import type { DocumentSpec } from '../../../../config/documents/document-spec.ts';
import type { ReviewCrop } from '../../../../flows/session/context.ts';
import type { AnalysedFace } from '../engine/face-engine.ts';
import { DEFAULT_LIMITS } from '../checks/limits.ts';
import { headLandmarks } from '../../production/head-landmarks.ts';
import { planCrop, printFrame } from '../../production/crop-plan.ts';
import { renderCrop, type RawRgb } from '../../production/render-crop.ts';

/** The planned crop of `face` for `spec`, in the still's pixels. */
export function reviewCrop(
  face: AnalysedFace,
  spec: DocumentSpec,
  image: { width: number; height: number },
): ReviewCrop {
  const head = headLandmarks(face, { crown: spec.head.crown });
  // The plan's geometry does not depend on the output size: 1 output pixel per 0.01 mm.
  const outputPx = {
    width: Math.round(spec.print.widthMm * 100),
    height: Math.round(spec.print.heightMm * 100),
  };
  const plan = planCrop(head, printFrame(spec), {
    minPrintDpi: spec.limits.minPrintDpi ?? DEFAULT_LIMITS.minPrintDpi,
    levelEyes: spec.levelEyes,
    image,
    outputPx,
  });
  const o = plan.toStill(0, 0);
  const right = plan.toStill(outputPx.width, 0);
  const down = plan.toStill(0, outputPx.height);
  return {
    origin: [o[0], o[1]],
    across: [right[0] - o[0], right[1] - o[1]],
    down: [down[0] - o[0], down[1] - o[1]],
  };
}

/** Renders `crop` of the still `heightPx` tall at the crop's own aspect. */
export function renderReviewCrop(
  still: Buffer,
  crop: ReviewCrop,
  image: { width: number; height: number },
  heightPx: number,
): Promise<RawRgb> {
  const acrossLen = Math.hypot(...crop.across);
  const downLen = Math.hypot(...crop.down);
  const h = Math.max(1, Math.round(heightPx));
  const w = Math.max(1, Math.round((h * acrossLen) / downLen));
  return renderCrop(
    still,
    {
      widthPx: w,
      heightPx: h,
      scale: h / downLen,
      toStill: (x, y) => [
        crop.origin[0] + (x / w) * crop.across[0] + (y / h) * crop.down[0],
        crop.origin[1] + (x / w) * crop.across[1] + (y / h) * crop.down[1],
      ],
    },
    image,
  );
}

/** The crop as a screen JPEG, `heightPx` tall. */
export async function reviewCropJpeg(
  still: Buffer,
  crop: ReviewCrop,
  image: { width: number; height: number },
  heightPx: number,
): Promise<Buffer> {
  const rgb = await renderReviewCrop(still, crop, image, heightPx);
  return sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
    .jpeg({ quality: 82 })
    .toBuffer();
}
