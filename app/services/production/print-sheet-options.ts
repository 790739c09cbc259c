/** What a sheet can be planned with: the options, their defaults, and the checks on them. */
import { mediaSizes, printMediaIds, type PrintMedia } from '../../../core/print-media.ts';
import { productionError } from './print-sheet-error.ts';

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

export const defaultPlanOptions: Required<PlanPrintSheetOptions> = {
  media: '4x6',
  dpi: 300,
  gutterMm: 2,
  marginMm: 3,
  footer: true,
};

/** Copies one sheet can be ordered with; more would be a mistake in the product list. */
const maxCopies = 32;

/** Options with every unset (or explicitly undefined) field taken from the defaults. */
export function withDefaults<T extends object>(defaults: Required<T>, options: T): Required<T> {
  const set = Object.entries(options).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(set) };
}

/** Refuses what no sheet can be planned with, before any layout is tried. */
export function checkOptions(
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
