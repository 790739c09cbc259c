/**
 * Planning the print sheet: where each copy of the photo goes on the media, in whole printer
 * pixels. Pure arithmetic, so a test can check a layout without rendering it.
 */
import { mediaSizes, type PrintMedia } from '../../../core/print-media.ts';
import { productionError } from './print-sheet-error.ts';
import { isBetter, mmToPx, spanOf, type Grid, type Rect } from './print-sheet-geometry.ts';
import { describeLayout, type Layout } from './print-sheet-layout.ts';
import {
  checkOptions,
  defaultPlanOptions,
  withDefaults,
  type PlanPrintSheetOptions,
} from './print-sheet-options.ts';

export interface PrintSheetPlan {
  media: PrintMedia;
  orientation: 'portrait' | 'landscape';
  dpi: number;
  /** The sheet in printer pixels. */
  width: number;
  height: number;
  /** One photo in printer pixels. */
  photo: { width: number; height: number };
  /** Top-left corner of each copy on the sheet. */
  placements: { left: number; top: number }[];
  /** Columns × rows of the grid; per strip for strip media. */
  grid: { columns: number; rows: number };
  /** Space between photos (and between photos and the footer or a printer cut), in pixels. */
  gutter: number;
  /** The sheet inside the margins: where the printer prints. */
  printable: Rect;
  /** Where footer text goes: none without a footer, one per strip on strip media. */
  footers: Rect[];
  /** x of each line the printer cuts the sheet along (strip media), in pixels. */
  cuts: number[];
}

/**
 * Lays out `copies` of one photo on the media: portrait or landscape, whichever holds them in
 * the most even grid (portrait on a tie, the media's natural feed), centred in the printable
 * area. Strip media stays portrait, since the printer's cut runs down the sheet's long side.
 */
export function planPrintSheet(
  photo: { widthMm: number; heightMm: number },
  copies: number,
  options: PlanPrintSheetOptions = {},
): PrintSheetPlan {
  checkOptions(photo, copies, options);
  const o = withDefaults(defaultPlanOptions, options);
  const media = mediaSizes[o.media];
  const photoPx = { width: mmToPx(photo.widthMm, o.dpi), height: mmToPx(photo.heightMm, o.dpi) };
  const orientations = media.cutIntoStrips ? (['portrait'] as const) : (['portrait', 'landscape'] as const);
  const layouts = orientations.map((orientation) => describeLayout(orientation, media, photoPx, copies, o));

  // Same rule as within one layout: fewest empty cells on the sheet, then the squarest grid.
  const score = (l: Layout & { grid: Grid }) => [
    l.grid.columns * l.grid.rows * l.blocks.length - copies,
    Math.abs(l.grid.columns - l.grid.rows),
  ];
  let chosen: (Layout & { grid: Grid }) | undefined;
  for (const layout of layouts) {
    if (!layout.grid || layout.capacity < copies) continue;
    const candidate = { ...layout, grid: layout.grid };
    if (!chosen || isBetter(score(candidate), score(chosen))) chosen = candidate;
  }
  if (!chosen) {
    const mostCopies = Math.max(...layouts.map((l) => l.capacity));
    const size = `${photo.widthMm}x${photo.heightMm} mm`;
    const what = copies === 1 ? `1 photo of ${size} does not fit` : `${copies} photos of ${size} do not fit`;
    const error = productionError(
      'sheet-too-small',
      `${what} on ${media.label} media; at most ${mostCopies}`,
    );
    throw Object.assign(error, { mostCopies });
  }

  const gutter = mmToPx(o.gutterMm, o.dpi);
  const { grid } = chosen;
  const blockW = spanOf(grid.columns, photoPx.width, gutter);
  const blockH = spanOf(grid.rows, photoPx.height, gutter);
  const placements: { left: number; top: number }[] = [];
  let remaining = copies;
  chosen.blocks.forEach((block, b) => {
    const here = Math.ceil(remaining / (chosen.blocks.length - b));
    remaining -= here;
    const x0 = block.left + Math.floor((block.width - blockW) / 2);
    const y0 = block.top + Math.floor((block.height - blockH) / 2);
    // Row by row, left-aligned in a short last row: columns stay aligned, so one straight cut
    // runs down each column.
    for (let i = 0; i < here; i++) {
      placements.push({
        left: x0 + (i % grid.columns) * (photoPx.width + gutter),
        top: y0 + Math.floor(i / grid.columns) * (photoPx.height + gutter),
      });
    }
  });

  return {
    media: o.media,
    orientation: chosen.orientation,
    dpi: o.dpi,
    width: chosen.width,
    height: chosen.height,
    photo: photoPx,
    placements,
    grid,
    gutter,
    printable: chosen.printable,
    footers: chosen.footers,
    cuts: chosen.cuts,
  };
}

/**
 * The sheets for `copies` photos: as many on each sheet as the media holds, the rest on more
 * sheets. Throws `sheet-too-small` when not even one photo fits.
 */
export function planPrintSheets(
  photo: { widthMm: number; heightMm: number },
  copies: number,
  options: PlanPrintSheetOptions = {},
): PrintSheetPlan[] {
  try {
    return [planPrintSheet(photo, copies, options)];
  } catch (error) {
    const most = (error as { mostCopies?: number }).mostCopies ?? 0;
    if (most < 1 || most >= copies) throw error;
    const plans: PrintSheetPlan[] = [];
    for (let left = copies; left > 0; left -= most)
      plans.push(planPrintSheet(photo, Math.min(most, left), options));
    return plans;
  }
}
