/**
 * One orientation of the sheet worked out: its printable area, footer strips and printer cuts,
 * the blocks photos are centred in, and the grid that holds the copies there.
 */
import type { MediaSize } from '../../../core/print-media.ts';
import { cellsIn, evenGrid, mmToPx, type Grid, type Rect } from './print-sheet-geometry.ts';
import type { PlanPrintSheetOptions } from './print-sheet-options.ts';

/** The strip reserved at the bottom edge for the footer's line of text. */
const footerStripMm = 4;

export interface Layout {
  orientation: 'portrait' | 'landscape';
  width: number;
  height: number;
  printable: Rect;
  footers: Rect[];
  cuts: number[];
  /** Areas a block of photos is centred in: the whole printable area, or one per strip. */
  blocks: Rect[];
  capacity: number;
  grid: Grid | undefined;
}

export function describeLayout(
  orientation: 'portrait' | 'landscape',
  media: MediaSize,
  photo: { width: number; height: number },
  copies: number,
  o: Required<PlanPrintSheetOptions>,
): Layout {
  const portraitW = mmToPx(media.widthMm, o.dpi);
  const portraitH = mmToPx(media.heightMm, o.dpi);
  const [width, height] = orientation === 'portrait' ? [portraitW, portraitH] : [portraitH, portraitW];
  const margin = mmToPx(o.marginMm, o.dpi);
  const gutter = mmToPx(o.gutterMm, o.dpi);
  const footerH = o.footer ? mmToPx(footerStripMm, o.dpi) : 0;
  const printable = { left: margin, top: margin, width: width - 2 * margin, height: height - 2 * margin };
  // A gutter between the photos and the footer, so the text never touches a photo's cut edge.
  const photoAreaH = printable.height - (o.footer ? footerH + gutter : 0);
  const footerTop = printable.top + printable.height - footerH;

  // Strip media: a printer cut down the middle, with a gutter on each side of it, so each
  // strip is centred on its own and no photo is cut.
  const cuts = media.cutIntoStrips ? [Math.round(width / 2)] : [];
  const columnsAt: { left: number; right: number }[] = media.cutIntoStrips
    ? [
        { left: printable.left, right: cuts[0]! - gutter },
        { left: cuts[0]! + gutter, right: printable.left + printable.width },
      ]
    : [{ left: printable.left, right: printable.left + printable.width }];
  const blocks = columnsAt.map((c) => ({
    left: c.left,
    top: printable.top,
    width: c.right - c.left,
    height: photoAreaH,
  }));
  const footers = o.footer ? blocks.map((b) => ({ ...b, top: footerTop, height: footerH })) : [];

  // Each strip holds the same grid, so the two strips match; the first gets any odd copy.
  const perBlock = Math.ceil(copies / blocks.length);
  const maxColumns = Math.min(...blocks.map((b) => cellsIn(b.width, photo.width, gutter)));
  const maxRows = cellsIn(photoAreaH, photo.height, gutter);
  return {
    orientation,
    width,
    height,
    printable,
    footers,
    cuts,
    blocks,
    capacity: maxColumns * maxRows * blocks.length,
    grid: evenGrid(perBlock, maxColumns, maxRows),
  };
}
