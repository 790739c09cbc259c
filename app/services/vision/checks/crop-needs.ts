/**
 * What a document's crop needs from a still, for `face.inFrame` and `face.resolution`: the
 * printed photo's size and the share of its height the head (chin to crown) must fill, from the
 * document's spec.
 */
import { DocumentCatalogue, DEFAULT_SPEC_ID } from '../../../../config/documents/document-catalogue.ts';
import type { DocumentSpec } from '../../../../config/documents/document-spec.ts';
import { CROWN_OVER_EYE_LINE } from './face-geometry.ts';

export { DEFAULT_SPEC_ID };

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

/** A spec object, or the id of a built-in spec. */
export type SpecRef = DocumentSpec | string;

export function isKnownSpec(specId: string): boolean {
  return DocumentCatalogue.builtIn().has(specId);
}

/** The spec a reference names; throws a RangeError for an unknown id. */
export function resolveSpec(spec: SpecRef): DocumentSpec {
  return typeof spec === 'string' ? DocumentCatalogue.builtIn().get(spec) : spec;
}

/** The crop needs of a document spec; throws a RangeError for an unknown spec id. */
export function cropNeeds(ref: SpecRef): CropNeeds {
  const spec = resolveSpec(ref);
  const { widthMm, heightMm } = spec.print;
  const head = (spec.head.heightMm.min + spec.head.heightMm.max) / 2;
  const free = Math.max(heightMm - head, 1e-6);
  let top = 0.4 * free;
  if (spec.topMarginMm) top = (spec.topMarginMm.min + spec.topMarginMm.max) / 2;
  else if (spec.eyeLineFromBottomMm) {
    // The eye line sits about CROWN_OVER_EYE_LINE / (1 + CROWN_OVER_EYE_LINE) of the head below the crown.
    const eye = (spec.eyeLineFromBottomMm.min + spec.eyeLineFromBottomMm.max) / 2;
    top = heightMm - eye - (head * CROWN_OVER_EYE_LINE) / (1 + CROWN_OVER_EYE_LINE);
  }
  return {
    specId: spec.id,
    widthMm,
    heightMm,
    headHeight: { min: spec.head.heightMm.min / heightMm, max: spec.head.heightMm.max / heightMm },
    topShareOfMargin: Math.min(0.9, Math.max(0.05, top / free)),
  };
}
