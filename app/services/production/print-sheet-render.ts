import sharp, { type OverlayOptions } from 'sharp';
import { encodePrintJpeg } from './print-jpeg.ts';
import { cutMarkColour, cutMarks } from './print-sheet-cut-marks.ts';
import { productionError } from './print-sheet-error.ts';
import { footerSvg } from './print-sheet-footer.ts';
import { withDefaults } from './print-sheet-options.ts';
import type { PrintSheetPlan } from './print-sheet-plan.ts';

export interface RenderPrintSheetOptions {
  /** Thin grey ticks in the gutters at each photo's corners, to cut along. */
  cutMarks?: boolean;
  /** One line in the footer strip, such as "Schengen visa · 2026-11-25". Needs a plan with a footer. */
  footerText?: string;
  /** JPEG quality, at least 95. */
  quality?: number;
}

/**
 * Renders a planned sheet: white media, the photo at each placement, cut marks and footer text,
 * as the printer's JPEG. The photo must be exactly the plan's photo size: resizing here would
 * silently change a photo that was measured for compliance.
 */
export async function renderPrintSheet(
  photo: Buffer,
  plan: PrintSheetPlan,
  options: RenderPrintSheetOptions = {},
): Promise<Buffer> {
  const o = withDefaults({ cutMarks: true, quality: 95, footerText: '' }, options);
  // Decoded once (orientation applied, any alpha flattened on white) and composited as raw
  // pixels, instead of decoding the JPEG again for every copy.
  const { data, info } = await sharp(photo, { failOn: 'error' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== plan.photo.width || info.height !== plan.photo.height) {
    throw productionError(
      'photo-size-mismatch',
      `the photo is ${info.width}x${info.height} px but the sheet is planned for ` +
        `${plan.photo.width}x${plan.photo.height} px at ${plan.dpi} dpi`,
    );
  }
  if (o.footerText && plan.footers.length === 0) {
    throw productionError(
      'invalid-sheet-options',
      'footer text was given but the sheet was planned without a footer',
    );
  }
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const layers: OverlayOptions[] = plan.placements.map((p) => ({ input: data, raw, ...p }));
  if (o.cutMarks) {
    for (const mark of cutMarks(plan)) {
      layers.push({
        input: { create: { width: mark.width, height: mark.height, channels: 3, background: cutMarkColour } },
        left: mark.left,
        top: mark.top,
      });
    }
  }
  if (o.footerText) {
    for (const area of plan.footers) {
      layers.push({ input: footerSvg(o.footerText, area, plan.dpi), left: area.left, top: area.top });
    }
  }
  const sheet = sharp({
    create: { width: plan.width, height: plan.height, channels: 3, background: '#ffffff' },
  }).composite(layers);
  return encodePrintJpeg(sheet, plan.dpi, { quality: o.quality });
}
