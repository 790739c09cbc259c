/**
 * What one compliance check reports: the raw value it measured, the limit it compared it with,
 * pass or fail, a sentence a person understands, and (when it fails) a coaching hint key.
 */

/** The check ids, in report order. Fixed: the UI, the logs and the tests use them. */
export const CHECK_IDS = [
  'face.single',
  'face.inFrame',
  'face.resolution',
  'head.roll',
  'head.yaw',
  'head.pitch',
  'eyes.open',
  'eyes.visible',
  'gaze',
  'mouth.closed',
  'expression.neutral',
  'lighting.uniform',
  'exposure',
  'sharpness',
  'background.uniform',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/**
 * Translation keys of the hints shown to the person in front of the camera. "Left" and "right"
 * are the person's own (their left is on the right of an unmirrored camera image).
 */
export type HintKey =
  | 'hint.onlyOnePerson'
  | 'hint.centerFace'
  | 'hint.moveCloser'
  | 'hint.moveBack'
  | 'hint.tiltHeadLeft'
  | 'hint.tiltHeadRight'
  | 'hint.turnHeadLeft'
  | 'hint.turnHeadRight'
  | 'hint.chinDown'
  | 'hint.chinUp'
  | 'hint.openEyes'
  | 'hint.uncoverEyes'
  | 'hint.removeGlasses'
  | 'hint.lookAtCamera'
  | 'hint.closeMouth'
  | 'hint.neutralExpression'
  | 'hint.lightingUneven'
  | 'hint.tooDark'
  | 'hint.tooBright'
  | 'hint.holdStill'
  | 'hint.backgroundBusy';

export interface CheckResult {
  readonly id: CheckId;
  readonly pass: boolean;
  /** The raw measured value (degrees, a ratio, a share, dpi ...); null when it could not be measured. */
  readonly value: number | null;
  /** The limit the value is compared with (a maximum or a minimum; the message says which). */
  readonly limit: number;
  /** Plain words for a person: what was measured and, on failure, what is wrong. */
  readonly message: string;
  /** Coaching hint (translation key) for a failed check; absent when the check passed. */
  readonly hint?: HintKey;
}

/** Rounds a measured value for reports (2 decimals by default). */
export function roundValue(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A result whose value passes when it is at most `limit`. */
export function atMost(
  id: CheckId,
  value: number,
  limit: number,
  words: { pass: string; fail: string },
  hint: HintKey,
  digits = 2,
): CheckResult {
  return judged(id, value, limit, value <= limit, words, hint, digits);
}

/** A result whose value passes when it is at least `limit`. */
export function atLeast(
  id: CheckId,
  value: number,
  limit: number,
  words: { pass: string; fail: string },
  hint: HintKey,
  digits = 2,
): CheckResult {
  return judged(id, value, limit, value >= limit, words, hint, digits);
}

function judged(
  id: CheckId,
  value: number,
  limit: number,
  pass: boolean,
  words: { pass: string; fail: string },
  hint: HintKey,
  digits: number,
): CheckResult {
  return {
    id,
    pass,
    value: roundValue(value, digits),
    limit,
    message: pass ? words.pass : words.fail,
    ...(pass ? {} : { hint }),
  };
}

/** A check that could not be measured: it fails and says why. */
export function notMeasured(id: CheckId, limit: number, why: string, hint?: HintKey): CheckResult {
  return { id, pass: false, value: null, limit, message: why, ...(hint ? { hint } : {}) };
}
