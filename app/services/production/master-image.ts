/**
 * The master image every output is cut from: its frame (the print's, widened where the digital
 * file is wider), the digital file's size, and what is carried into it from the still through
 * the crop (the person mask, the face box).
 */
import type { DocumentSpec } from '../../../config/documents/document-spec.ts';
import { digitalAspect, digitalSizes } from '../../../config/documents/document-spec.ts';
import { printFrame, type CropPlan } from './crop-plan.ts';
import type { MaskSampler } from './head-landmarks.ts';

/** The print's frame, widened where the digital file is wider than the print. */
export function masterFrame(spec: DocumentSpec) {
  const frame = printFrame(spec);
  return { ...frame, widthMm: Math.max(frame.widthMm, frame.heightMm * digitalAspect(spec)) };
}

/**
 * The digital file's pixel size: the print's own resolution (or the still's, if that is less),
 * brought into the spec's range. More pixels than the print has add no detail, only bytes the
 * authority's range may not allow.
 */
export function pickDigitalSize(
  spec: DocumentSpec,
  printHeightPx: number,
  stillPxOverHeight: number,
): { width: number; height: number } {
  const sizes = digitalSizes(spec.digital.widthPx, spec.digital.heightPx, digitalAspect(spec)); // largest first
  const want = Math.min(printHeightPx, stillPxOverHeight);
  const atLeast = sizes.filter((s) => s.height >= want);
  return (
    atLeast[atLeast.length - 1] ??
    sizes[0] ?? { width: spec.digital.widthPx.min, height: spec.digital.heightPx.min }
  );
}

/** The person mask carried through the same crop as the photo (bilinear, so its edge stays soft). */
export function renderMask(
  mask: MaskSampler,
  plan: CropPlan,
): { data: Uint8Array; width: number; height: number } {
  const { widthPx: width, heightPx: height } = plan;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      data[y * width + x] = mask.smoothAlphaAt(plan.toStill(x + 0.5, y + 0.5)) ?? 0;
  }
  return { data, width, height };
}

/** A still-pixel box's bounding box in the plan's output pixels. */
export function boxInOutput(
  box: readonly [number, number, number, number],
  plan: CropPlan,
): [number, number, number, number] {
  const [x, y, w, h] = box;
  const corners = [
    plan.fromStill([x, y]),
    plan.fromStill([x + w, y]),
    plan.fromStill([x, y + h]),
    plan.fromStill([x + w, y + h]),
  ];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return [left, top, Math.max(...xs) - left, Math.max(...ys) - top];
}
