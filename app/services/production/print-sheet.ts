import sharp, { type OverlayOptions, type Sharp } from 'sharp';

/**
 * The print sheet: N copies of one ID photo laid out on the photo printer's media, with gutters
 * to cut them apart, and rendered as the JPEG the printer gets. Planning is pure arithmetic on
 * whole printer pixels, so a test can check a layout without rendering it.
 */

import { mediaSizes, printMediaIds, type MediaSize, type PrintMedia } from '../../../core/print-media.ts';
import type { ProductionInputCode } from '../../../core/errors.ts';
import { ProductionInputError } from './production-input-error.ts';

export { printMediaIds, type PrintMedia };

const inch = 25.4;

/** The sheet's footer: text height, and the strip reserved for it at the bottom edge. */
const footerTextMm = 2.5;
const footerStripMm = 4;
/** Cut marks: line width, gap from the photo's corner, and longest tick. */
const cutMarkWidthMm = 0.2;
const cutMarkGapMm = 0.2;
const cutMarkLengthMm = 1;
const cutMarkColour = '#8c8c8c';
const footerTextColour = '#333333';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

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

export interface PlanPrintSheetOptions {
  media?: PrintMedia;
  /** The printer's resolution; every size in the plan is in its pixels. */
  dpi?: number;
  /** White space between photos, for cutting them apart. */
  gutterMm?: number;
  /** White border on every edge: photo printers do not print to the edge. */
  marginMm?: number;
  /** Reserve a strip at the bottom edge for a line of text (document name, date). */
  footer?: boolean;
}

const defaultPlanOptions: Required<PlanPrintSheetOptions> = {
  media: '4x6',
  dpi: 300,
  gutterMm: 2,
  marginMm: 3,
  footer: true,
};

/** Copies one sheet can be ordered with; more would be a mistake in the product list. */
const maxCopies = 32;

type ProductionErrorCode = Extract<
  ProductionInputCode,
  | 'sheet-too-small'
  | 'invalid-copies'
  | 'invalid-photo-size'
  | 'invalid-sheet-options'
  | 'unknown-media'
  | 'photo-size-mismatch'
  | 'invalid-quality'
>;

function productionError(code: ProductionErrorCode, message: string): ProductionInputError {
  return new ProductionInputError(code, message);
}

/** Options with every unset (or explicitly undefined) field taken from the defaults. */
function withDefaults<T extends object>(defaults: Required<T>, options: T): Required<T> {
  const set = Object.entries(options).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(set) };
}

export const mmToPx = (mm: number, dpi: number): number => Math.round((mm / inch) * dpi);

/** Whole cells of `size` (with `gutter` between them) that fit in `space`. */
const cellsIn = (space: number, size: number, gutter: number): number =>
  Math.max(0, Math.floor((space + gutter) / (size + gutter)));

const spanOf = (cells: number, size: number, gutter: number): number =>
  cells * size + Math.max(0, cells - 1) * gutter;

interface Grid {
  columns: number;
  rows: number;
}

/**
 * The grid for `copies` within a capacity: fewest empty cells first (a sheet of full rows cuts
 * cleanest), then the most square, so copies sit as an even block rather than a long line.
 */
function evenGrid(copies: number, maxColumns: number, maxRows: number): Grid | undefined {
  let best: Grid | undefined;
  const score = (g: Grid) => [g.columns * g.rows - copies, Math.abs(g.columns - g.rows)] as const;
  for (let columns = 1; columns <= Math.min(maxColumns, copies); columns++) {
    const rows = Math.ceil(copies / columns);
    if (rows > maxRows) continue;
    const grid = { columns, rows };
    if (!best || isBetter(score(grid), score(best))) best = grid;
  }
  return best;
}

const isBetter = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

interface Layout {
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

function describeLayout(
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

function checkOptions(
  photo: { widthMm: number; heightMm: number },
  copies: number,
  o: PlanPrintSheetOptions,
) {
  if (!Number.isInteger(copies) || copies < 1 || copies > maxCopies) {
    throw productionError(
      'invalid-copies',
      `copies must be a whole number from 1 to ${maxCopies}, not ${copies}`,
    );
  }
  for (const [what, mm] of [
    ['widthMm', photo.widthMm],
    ['heightMm', photo.heightMm],
  ] as const) {
    if (!Number.isFinite(mm) || mm <= 0) {
      throw productionError('invalid-photo-size', `the photo's ${what} must be a positive length, not ${mm}`);
    }
  }
  if (o.media !== undefined && !(o.media in mediaSizes)) {
    throw productionError(
      'unknown-media',
      `unknown print media "${o.media}"; the booth knows ${printMediaIds.join(', ')}`,
    );
  }
  // 1200 dpi is past any dye-sublimation photo printer; more is a typo in config.
  if (o.dpi !== undefined && (!Number.isInteger(o.dpi) || o.dpi < 72 || o.dpi > 1200)) {
    throw productionError(
      'invalid-sheet-options',
      `dpi must be a whole number from 72 to 1200, not ${o.dpi}`,
    );
  }
  for (const [what, mm] of [
    ['gutterMm', o.gutterMm],
    ['marginMm', o.marginMm],
  ] as const) {
    if (mm !== undefined && (!Number.isFinite(mm) || mm < 0)) {
      throw productionError('invalid-sheet-options', `${what} must be zero or more, not ${mm}`);
    }
  }
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

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/**
 * One footer line as SVG the size of the footer strip. The text shrinks when a long document
 * name would not fit the width (estimated from DejaVu Sans's average advance, since SVG has no
 * text measuring), rather than being clipped mid-word.
 */
function footerSvg(text: string, area: Rect, dpi: number): Buffer {
  const averageAdvanceEm = 0.62;
  const nominal = mmToPx(footerTextMm, dpi);
  const fitting = (area.width * 0.95) / Math.max(1, [...text].length * averageAdvanceEm);
  const size = Math.max(1, Math.min(nominal, Math.floor(fitting)));
  // Baseline so capitals (about 0.73 em in DejaVu Sans) sit in the middle of the strip.
  const baseline = Math.round((area.height + 0.73 * size) / 2);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${area.width}" height="${area.height}">` +
      `<text x="${area.width / 2}" y="${baseline}" text-anchor="middle" ` +
      `font-family="DejaVu Sans, sans-serif" font-size="${size}" fill="${footerTextColour}">` +
      `${escapeXml(text)}</text></svg>`,
  );
}

export interface EncodePrintJpegOptions {
  /** JPEG quality; at least 95, since the print is the product and artefacts show on glossy media. */
  quality?: number;
}

/**
 * Encodes an image as the printer file: sRGB ICC profile attached (the printer's colour
 * management assumes sRGB otherwise, and some drivers only trust an attached profile), chroma at
 * full resolution (4:4:4: subsampling blurs coloured edges at print size), baseline scan, and
 * the printer's dpi in both EXIF and JFIF so a driver or print dialog prints at true size.
 * Any EXIF of the input (camera make, GPS) is dropped. The sharp instance is consumed.
 */
export async function encodePrintJpeg(
  image: Sharp,
  dpi: number,
  options: EncodePrintJpegOptions = {},
): Promise<Buffer> {
  const quality = options.quality ?? 95;
  if (!Number.isInteger(quality) || quality < 95 || quality > 100) {
    throw productionError(
      'invalid-quality',
      `print JPEG quality must be a whole number from 95 to 100, not ${quality}`,
    );
  }
  if (!Number.isInteger(dpi) || dpi < 1 || dpi > 65535) {
    throw productionError('invalid-sheet-options', `dpi must be a whole number from 1 to 65535, not ${dpi}`);
  }
  const jpeg = await image
    .withIccProfile('srgb')
    // withDensity() keeps the input's EXIF too; an empty withExif() replaces it, so only the
    // resolution is written.
    .withExif({})
    .withDensity(dpi)
    .jpeg({ quality, chromaSubsampling: '4:4:4', progressive: false })
    .toBuffer();
  return withJfifDensity(jpeg, dpi);
}

/**
 * Adds a JFIF header with the density in dots per inch. libvips (sharp 0.35) writes density only
 * as EXIF and no JFIF header at all, yet printer drivers and older software read the JFIF one.
 */
function withJfifDensity(jpeg: Buffer, dpi: number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    throw productionError('invalid-sheet-options', 'the encoder did not produce a JPEG');
  }
  const app0 = Buffer.alloc(18);
  app0.writeUInt16BE(0xffe0, 0); // APP0 marker
  app0.writeUInt16BE(16, 2); // segment length, without the marker
  app0.write('JFIF\0', 4, 'latin1');
  app0.writeUInt8(1, 9); // version 1.02
  app0.writeUInt8(2, 10);
  app0.writeUInt8(1, 11); // density unit: dots per inch
  app0.writeUInt16BE(dpi, 12);
  app0.writeUInt16BE(dpi, 14);
  // No thumbnail (bytes 16 and 17 stay 0).
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
}

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
