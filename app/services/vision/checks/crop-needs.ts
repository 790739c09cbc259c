/**
 * What a document's crop needs from a still, for `face.inFrame` and `face.resolution`: the
 * printed photo's size and the share of its height the head (chin to crown) must fill.
 * A stop-gap until the full document specs of issue 5 replace it.
 */
import { documentPrintSizes } from '../../../../config/documents/print-sizes.ts';

export interface CropNeeds {
  readonly specId: string;
  readonly widthMm: number;
  readonly heightMm: number;
  /** Head height (chin to crown) as a share of the photo's height: allowed range. */
  readonly headHeight: { readonly min: number; readonly max: number };
  /**
   * Where the head sits: the share of the space left above and below the head that lies above
   * the crown (the rest is below the chin, for neck and shoulders).
   */
  readonly topShareOfMargin: number;
}

/** Published head heights (chin to crown) in mm, per spec id. */
const HEAD_HEIGHT_MM: Readonly<Record<string, readonly [min: number, max: number]>> = {
  'us-passport': [25, 35], // 1 to 1 3/8 in on 2x2 in
  'us-visa': [25, 35],
  'uk-passport': [29, 34],
  'schengen-visa': [32, 36],
  'eu-passport': [32, 36],
  'de-passport': [32, 36],
  'cn-passport': [28, 33],
  'cn-visa': [28, 33],
  'jp-passport': [32, 36],
  'ca-passport': [31, 36],
  'in-passport': [25, 35],
  'in-form': [25, 35],
  'au-passport': [32, 36],
};

/** The spec id used when none is given. */
export const DEFAULT_SPEC_ID = 'eu-passport';

export function isKnownSpec(specId: string): boolean {
  return Object.hasOwn(documentPrintSizes, specId) && Object.hasOwn(HEAD_HEIGHT_MM, specId);
}

/** The crop needs of a document spec; throws a RangeError for an unknown spec id. */
export function cropNeeds(specId: string): CropNeeds {
  if (!isKnownSpec(specId)) throw new RangeError(`unknown document spec "${specId}"`);
  const size = documentPrintSizes[specId]!;
  const [min, max] = HEAD_HEIGHT_MM[specId]!;
  return {
    specId,
    widthMm: size.widthMm,
    heightMm: size.heightMm,
    headHeight: { min: min / size.heightMm, max: max / size.heightMm },
    topShareOfMargin: 0.4,
  };
}
