import { z } from 'zod';
import { text, urlWith } from '../../core/config-fields.ts';

/**
 * What an authority asks of an ID photo, as data. The built-in specs are the JSON files beside
 * this one; an operator adds or replaces specs in config (`documentSpecs`) with the same shape.
 * Lengths on the print are in millimetres, measured on the printed photo.
 */

const mm = z.number().positive().max(300);
const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #ffffff');

const mmRange = z
  .object({ min: mm, max: mm })
  .strict()
  .refine((r) => r.min <= r.max, 'min must not be above max');

const intRange = (what: string, max: number) =>
  z
    .object({ min: z.number().int().positive().max(max), max: z.number().int().positive().max(max) })
    .strict()
    .refine((r) => r.min <= r.max, `${what}: min must not be above max`);

/** Where a number comes from: the authority's page or document, so it can be checked again. */
const sourceSchema = z
  .object({
    what: text(1000),
    url: urlWith(['https', 'http']),
  })
  .strict();

/** Limits of the face checks a spec tightens or loosens (see `app/services/vision/checks/limits.ts`). */
const limitOverrides = z
  .object({
    maxRollDeg: z.number().positive().max(45),
    maxYawDeg: z.number().positive().max(45),
    maxPitchDeg: z.number().positive().max(45),
    maxGazeDeg: z.number().positive().max(45),
    maxSmile: z.number().positive().max(1),
    maxMouthGap: z.number().positive().max(1),
    minPrintDpi: z.number().positive().max(1200),
  })
  .partial()
  .strict();

export const documentSpecSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    /** The document's name as printed in the sheet's footer and shown to customers. */
    name: z.string().min(1).max(80),
    /** Issuing country (ISO 3166-1 alpha-2) or area, such as `EU` for the Schengen states. */
    country: z.string().regex(/^[A-Z]{2}$/, 'a two-letter code like "US" or "EU"'),
    kind: z.enum(['passport', 'visa', 'id-card', 'form', 'other']),
    print: z.object({ widthMm: mm, heightMm: mm }).strict(),
    head: z
      .object({
        /** Chin to crown on the print. */
        heightMm: mmRange,
        /**
         * What the crown is: `head`, the top of the skull (hair volume ignored, as ICAO and most
         * authorities measure), or `hair`, the top of the hair.
         */
        crown: z.enum(['head', 'hair']).default('head'),
        /** Head width (ear to ear) where the authority sets one. */
        widthMm: mmRange.optional(),
      })
      .strict(),
    /** Eye line (centre of the irises) above the photo's bottom edge, where published. */
    eyeLineFromBottomMm: mmRange.optional(),
    /** Space between the crown and the photo's top edge, where published. */
    topMarginMm: mmRange.optional(),
    /** Space between the chin and the photo's bottom edge, where published. */
    bottomMarginMm: mmRange.optional(),
    /** Largest distance of the face's centre line from the photo's vertical centre line. */
    maxOffCentreMm: mm.default(2),
    background: z
      .object({
        /** Colours the authority accepts; the produced backdrop must be near one of them. */
        colours: z.array(hexColour).min(1),
        /** Largest CIE76 colour distance (ΔE) of the backdrop from the nearest accepted colour. */
        maxColourDistance: z.number().positive().max(100).default(12),
        /**
         * Whether the booth may replace the backdrop digitally. Authorities that reject altered
         * photos (the UK, Canada, Australia) get the physical backdrop with exposure and white
         * balance corrected only.
         */
        replace: z.boolean(),
        /** The colour put behind the person when replacing (default: the first accepted colour). */
        replaceWith: hexColour.optional(),
      })
      .strict(),
    /** Whether the still may be rotated to level the eyes. */
    levelEyes: z.boolean().default(true),
    /** Face-check limits this authority sets differently from the ICAO-style defaults. */
    limits: limitOverrides.default({}),
    digital: z
      .object({
        format: z.literal('jpeg').default('jpeg'),
        widthPx: intRange('widthPx', 10_000),
        heightPx: intRange('heightPx', 10_000),
        /** File size in bytes. */
        bytes: intRange('bytes', 50_000_000),
        /**
         * Width over height of the file, where it differs from the print's (China's visa file is
         * 3:4 while its print is 33x48 mm). The file keeps the print's head height and eye line
         * as shares of its height; only the width changes.
         */
        aspect: z.number().positive().max(4).optional(),
        /** Whether the authority published these rules or they are the booth's defaults. */
        published: z.boolean(),
      })
      .strict(),
    sources: z.array(sourceSchema).min(1, 'name where the numbers come from'),
    notes: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const { heightMm } = spec.print;
    if (spec.head.heightMm.max >= heightMm)
      ctx.addIssue({ code: 'custom', path: ['head', 'heightMm'], message: 'head taller than the photo' });
    if (spec.eyeLineFromBottomMm && spec.eyeLineFromBottomMm.max >= heightMm)
      ctx.addIssue({ code: 'custom', path: ['eyeLineFromBottomMm'], message: 'eye line above the photo' });
    const { widthPx, heightPx } = spec.digital;
    const aspect = digitalAspect(spec);
    // A range that cannot hold a file of the right shape is a typo.
    if (!digitalSizes(widthPx, heightPx, aspect).length)
      ctx.addIssue({
        code: 'custom',
        path: ['digital'],
        message: `no pixel size in the ranges has the aspect ${aspect.toFixed(3)} (set digital.aspect?)`,
      });
  });

export type DocumentSpec = z.infer<typeof documentSpecSchema>;
export type DocumentSpecInput = z.input<typeof documentSpecSchema>;

/** Width over height of the spec's digital file. */
export function digitalAspect(spec: Pick<DocumentSpec, 'print' | 'digital'>): number {
  return spec.digital.aspect ?? spec.print.widthMm / spec.print.heightMm;
}

/**
 * Pixel sizes of the given aspect inside both ranges, largest first, one per height (the width
 * rounds to within half a pixel of the aspect).
 */
export function digitalSizes(
  widthPx: { min: number; max: number },
  heightPx: { min: number; max: number },
  aspect: number,
): Array<{ width: number; height: number }> {
  const sizes: Array<{ width: number; height: number }> = [];
  for (let height = heightPx.max; height >= heightPx.min; height--) {
    const width = Math.round(height * aspect);
    if (width >= widthPx.min && width <= widthPx.max) sizes.push({ width, height });
  }
  return sizes;
}
