/**
 * The print sheet: N copies of one ID photo laid out on the photo printer's media, with gutters
 * to cut them apart, and rendered as the JPEG the printer gets. Planning is pure arithmetic on
 * whole printer pixels, so a test can check a layout without rendering it.
 *
 * The sheet's public face: planning is in `print-sheet-plan.ts` (with its options, layout and
 * geometry), rendering in `print-sheet-render.ts` (cut marks, footer) and the printer file's
 * encoding in `print-jpeg.ts`.
 */
export { printMediaIds, type PrintMedia } from '../../../core/print-media.ts';
export { mmToPx, type Rect } from './print-sheet-geometry.ts';
export type { PlanPrintSheetOptions } from './print-sheet-options.ts';
export { planPrintSheet, planPrintSheets, type PrintSheetPlan } from './print-sheet-plan.ts';
export { cutMarks } from './print-sheet-cut-marks.ts';
export { encodePrintJpeg, type EncodePrintJpegOptions } from './print-jpeg.ts';
export { renderPrintSheet, type RenderPrintSheetOptions } from './print-sheet-render.ts';
