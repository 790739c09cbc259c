import { mmToPx, type Rect } from './print-sheet-geometry.ts';
import type { PrintSheetPlan } from './print-sheet-plan.ts';

/** Cut marks: line width, gap from the photo's corner, and longest tick. */
const cutMarkWidthMm = 0.2;
const cutMarkGapMm = 0.2;
const cutMarkLengthMm = 1;
export const cutMarkColour = '#8c8c8c';

/**
 * Cut marks: at each photo corner, a short tick on the line of each edge, in the gutter beside
 * the photo. Ticks end a gap short of half the gutter, so they never reach a neighbouring photo,
 * its ticks (each mark stays readable as one photo's edge), the footer or a printer cut; they
 * are clipped to the printable area.
 */
export function cutMarks(plan: PrintSheetPlan): Rect[] {
  const width = Math.max(1, mmToPx(cutMarkWidthMm, plan.dpi));
  const gap = Math.max(1, mmToPx(cutMarkGapMm, plan.dpi));
  const length = Math.min(mmToPx(cutMarkLengthMm, plan.dpi), Math.floor((plan.gutter - 3 * gap) / 2));
  if (length < 1) return [];
  const { width: w, height: h } = plan.photo;
  const marks: Rect[] = [];
  for (const { left: x0, top: y0 } of plan.placements) {
    const [x1, y1] = [x0 + w, y0 + h];
    for (const y of [y0, y1 - width]) {
      marks.push({ left: x0 - gap - length, top: y, width: length, height: width });
      marks.push({ left: x1 + gap, top: y, width: length, height: width });
    }
    for (const x of [x0, x1 - width]) {
      marks.push({ left: x, top: y0 - gap - length, width, height: length });
      marks.push({ left: x, top: y1 + gap, width, height: length });
    }
  }
  return marks.map((m) => clip(m, plan.printable)).filter((m): m is Rect => m !== undefined);
}

function clip(r: Rect, to: Rect): Rect | undefined {
  const left = Math.max(r.left, to.left);
  const top = Math.max(r.top, to.top);
  const right = Math.min(r.left + r.width, to.left + to.width);
  const bottom = Math.min(r.top + r.height, to.top + to.height);
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : undefined;
}
