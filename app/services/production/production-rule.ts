/**
 * One rule of a document spec with what the produced photo measured. The report of `make-photo`
 * and the flow's production step list these; a failing one names what to retake or fix.
 */
export type ProductionRuleId =
  /** Exactly one person in the still and in the photo. */
  | 'face.single'
  /** Chin to crown on the print, mm. */
  | 'head.height'
  /** Eye line (iris centres) above the bottom edge, mm. */
  | 'eye.line'
  /** Crown to the top edge, mm. */
  | 'top.margin'
  /** Chin to the bottom edge, mm (where the spec sets it). */
  | 'bottom.margin'
  /** Face centre line from the photo's vertical centre line, mm. */
  | 'face.centred'
  /** Head width on the print, mm (where the spec sets one). */
  | 'head.width'
  /** How far the photo's frame runs past the still's edges, mm on the print (0 = inside). */
  | 'crop.inside'
  /** Dots per inch the print gets from the still's pixels. */
  | 'resolution'
  /** CIE76 distance of the backdrop from the nearest accepted colour. */
  | 'background.colour'
  /** Spread of the backdrop's lightness (standard deviation, L* units). */
  | 'background.uniform'
  /** The single photo's pixel size against the print size at the printer's dpi. */
  | 'photo.size'
  | 'digital.size'
  | 'digital.bytes';

export interface ProductionRule {
  readonly id: ProductionRuleId;
  readonly pass: boolean;
  /** The measured value in `unit`; null when it could not be measured. */
  readonly measured: number | null;
  readonly unit: 'mm' | 'dpi' | 'deltaE' | 'L*' | 'px' | 'bytes' | 'faces';
  readonly min?: number;
  readonly max?: number;
  /** Plain words for an operator or a retake hint. */
  readonly message: string;
}

/** What each rule measures, as the subject of "… is 3.2 mm (needs …)". */
const MEASURES: Readonly<Record<ProductionRuleId, string>> = {
  'face.single': 'The number of faces',
  'head.height': 'The head (chin to crown)',
  'eye.line': 'The eye line above the bottom edge',
  'top.margin': 'The space above the head',
  'bottom.margin': 'The space below the chin',
  'face.centred': "The face's distance from the centre line",
  'head.width': 'The head width',
  'crop.inside': 'How far the photo runs past the still',
  resolution: "The print's resolution from the still's pixels",
  'background.colour': "The backdrop's distance from the accepted colours",
  'background.uniform': "The backdrop's unevenness",
  'photo.size': "The photo's height",
  'digital.size': "The digital file's height",
  'digital.bytes': "The digital file's size",
};

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** A rule with a range: passes when `measured` lies in [min, max] (either bound may be absent). */
export function rangeRule(
  id: ProductionRuleId,
  measured: number | null,
  unit: ProductionRule['unit'],
  bounds: { min?: number; max?: number },
  what: string = MEASURES[id],
): ProductionRule {
  const { min, max } = bounds;
  const pass =
    measured !== null && (min === undefined || measured >= min) && (max === undefined || measured <= max);
  const range =
    min !== undefined && max !== undefined
      ? `${min} to ${max} ${unit}`
      : min !== undefined
        ? `at least ${min} ${unit}`
        : `at most ${max} ${unit}`;
  const message =
    measured === null
      ? `${what} could not be measured (needs ${range})`
      : `${what} is ${round(measured)} ${unit} (needs ${range})`;
  return {
    id,
    pass,
    measured: measured === null ? null : round(measured, 3),
    unit,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    message,
  };
}

/** The first failing rule's id and message, for a retake hint or an error. */
export function firstFailure(rules: readonly ProductionRule[]): ProductionRule | undefined {
  return rules.find((r) => !r.pass);
}
