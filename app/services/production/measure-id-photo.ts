/**
 * Measures a produced ID photo again, from its own pixels, against its spec: the face analysis
 * and person mask of the photo itself give the head height, eye line, top margin, centring and
 * head width in millimetres on the print; the mask gives the backdrop's colour and evenness.
 * What production promises is what this measures, not what the plan intended.
 */
import type { DocumentSpec } from '../../../config/documents/document-spec.ts';
import type { AnalysedFace } from '../vision/engine/face-engine.ts';
import { headLandmarks } from './head-landmarks.ts';
import { samplerOver } from './still-mask.ts';
import { rangeRule, type ProductionRule } from './production-rule.ts';
import type { RawRgb } from './render-crop.ts';
import { nearestColour, rgbToLab } from './backdrop/colour.ts';
import { dilate, type Mask } from './backdrop/mask-filters.ts';

export interface PhotoMeasures {
  readonly headHeightMm: number;
  readonly eyeLineMm: number;
  readonly topMarginMm: number;
  readonly offCentreMm: number;
  readonly headWidthMm: number | null;
  readonly rollDeg: number;
  readonly crownSource: 'mask' | 'anthropometric';
  readonly background: {
    readonly colour: string;
    readonly nearest: string;
    readonly deltaE: number;
    readonly spreadL: number;
  } | null;
}

/**
 * Spread of the backdrop's lightness (L* standard deviation) an even backdrop stays within: a lamp's
 * gentle fall-off passes, a shadow or a busy room does not.
 */
export const MAX_BACKDROP_SPREAD_L = 6;

export function measureIdPhoto(
  photo: RawRgb,
  alpha: Mask,
  faces: readonly AnalysedFace[],
  spec: DocumentSpec,
): { measures: PhotoMeasures | null; rules: ProductionRule[] } {
  const pxPerMm = photo.height / spec.print.heightMm;
  const face = faces[0];
  if (faces.length !== 1 || !face) {
    return {
      measures: null,
      rules: [
        {
          id: 'face.single',
          pass: false,
          measured: faces.length,
          unit: 'faces',
          min: 1,
          max: 1,
          message: `The produced photo shows ${faces.length} faces; it must show exactly one`,
        },
      ],
    };
  }
  const whole = { left: 0, top: 0, width: alpha.width, height: alpha.height };
  const sampler = samplerOver({ width: alpha.width, height: alpha.height, alpha: alpha.data }, whole, whole);
  const head = headLandmarks(face, { crown: spec.head.crown, mask: sampler });
  const crown = head.frame.fromFace(head.centreU, head.crownV);
  const chin = head.frame.fromFace(head.centreU, head.chinV);
  const centre = head.frame.fromFace(head.centreU, 0);
  const measures: PhotoMeasures = {
    headHeightMm: (head.chinV - head.crownV) / pxPerMm,
    eyeLineMm: (photo.height - head.frame.origin[1]) / pxPerMm,
    topMarginMm: crown[1] / pxPerMm,
    offCentreMm: (centre[0] - photo.width / 2) / pxPerMm,
    headWidthMm: head.headWidthPx === null ? null : head.headWidthPx / pxPerMm,
    rollDeg: head.frame.angleDeg,
    crownSource: head.crownSource,
    background: backdropColour(photo, alpha, spec.background.colours),
  };
  const rules: ProductionRule[] = [rangeRule('head.height', measures.headHeightMm, 'mm', spec.head.heightMm)];
  if (spec.eyeLineFromBottomMm)
    rules.push(rangeRule('eye.line', measures.eyeLineMm, 'mm', spec.eyeLineFromBottomMm));
  rules.push(
    rangeRule('top.margin', measures.topMarginMm, 'mm', spec.topMarginMm ?? { min: 0.5 }),
    rangeRule('face.centred', Math.abs(measures.offCentreMm), 'mm', { max: spec.maxOffCentreMm + 0.5 }),
  );
  if (spec.bottomMarginMm)
    rules.push(rangeRule('bottom.margin', (photo.height - chin[1]) / pxPerMm, 'mm', spec.bottomMarginMm));
  if (spec.head.widthMm) rules.push(rangeRule('head.width', measures.headWidthMm, 'mm', spec.head.widthMm));
  const bg = measures.background;
  rules.push(
    rangeRule(
      'background.colour',
      bg ? bg.deltaE : null,
      'deltaE',
      { max: spec.background.maxColourDistance },
      `The backdrop's distance from ${bg?.nearest ?? 'the accepted colours'}`,
    ),
    rangeRule('background.uniform', bg ? bg.spreadL : null, 'L*', { max: MAX_BACKDROP_SPREAD_L }),
  );
  return { measures, rules };
}

/** Mean colour and lightness spread of the backdrop well away from the person. */
function backdropColour(
  photo: RawRgb,
  alpha: Mask,
  accepted: readonly string[],
): PhotoMeasures['background'] {
  const near = dilate(alpha, Math.max(2, Math.round(photo.width * 0.03)));
  const sum = [0, 0, 0];
  const lightness: number[] = [];
  for (let i = 0; i < near.data.length; i++) {
    if (near.data[i]! >= 26) continue;
    const rgb = [photo.data[i * 3]!, photo.data[i * 3 + 1]!, photo.data[i * 3 + 2]!] as const;
    for (let c = 0; c < 3; c++) sum[c] = sum[c]! + rgb[c]!;
    lightness.push(rgbToLab(rgb)[0]);
  }
  if (lightness.length < 100) return null;
  const n = lightness.length;
  const mean = [sum[0]! / n, sum[1]! / n, sum[2]! / n] as const;
  const meanL = lightness.reduce((a, b) => a + b, 0) / n;
  const spreadL = Math.sqrt(lightness.reduce((a, b) => a + (b - meanL) ** 2, 0) / n);
  const nearest = nearestColour(mean, accepted);
  const hex = `#${mean.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
  return { colour: hex, nearest: nearest.hex, deltaE: nearest.distance, spreadL };
}
