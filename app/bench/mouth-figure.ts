/**
 * The mouth and expression checks on the portrait fixtures and their variants (issue 19): how
 * often `mouth.closed` and `expression.neutral` catch the smile with teeth (test0) and how often
 * they refuse a closed mouth (test1-test4). Of the five, test1, test2 and test3 are closed-mouth
 * and near-neutral; test4 smiles with closed lips, so it counts for `mouth.closed` (its lips are
 * closed) but not for `expression.neutral` (a smile is what that check is for).
 */
import { checkStill } from '../services/vision/checks/check-still.ts';
import type { CheckId } from '../services/vision/checks/check-result.ts';
import type { FaceEngine } from '../services/vision/engine/face-engine.ts';
import { atLeast, type BenchFigure } from './bench-figure.ts';
import { PORTRAIT_VARIANTS } from './portrait-variants.ts';

/** What each fixture shows, as far as these two checks are concerned. */
export const MOUTH_FIXTURES = {
  test0: { teethSmile: true, neutral: false },
  test1: { teethSmile: false, neutral: true },
  test2: { teethSmile: false, neutral: true },
  test3: { teethSmile: false, neutral: true },
  test4: { teethSmile: false, neutral: false },
} as const;

export type MouthFixture = keyof typeof MOUTH_FIXTURES;

export interface MouthOutcome {
  readonly fixture: MouthFixture;
  readonly variant: string;
  /** Whether each check failed the photo (null: no face was found, nothing was measured). */
  readonly failed: Readonly<Record<'mouth.closed' | 'expression.neutral', boolean>> | null;
  readonly values: Readonly<Record<'mouth.closed' | 'expression.neutral', number | null>>;
}

/** Counts over the variants: photos a check should refuse and did, photos it should pass and refused. */
export interface CheckRates {
  readonly detected: number;
  readonly shouldFail: number;
  readonly falseAlarms: number;
  readonly shouldPass: number;
}

/**
 * Every fixture in every variant through the engine and the still check (`spec` as the booth
 * would). `photos` are the fixtures' bytes (the demo portraits are the same photos re-encoded:
 * `portrait-1.jpg` is test0, and so on).
 */
export async function measureMouthChecks(
  engine: FaceEngine,
  photos: Readonly<Record<MouthFixture, Buffer>>,
  spec = 'eu-passport',
): Promise<MouthOutcome[]> {
  const outcomes: MouthOutcome[] = [];
  for (const fixture of Object.keys(MOUTH_FIXTURES) as MouthFixture[]) {
    const original = photos[fixture];
    for (const variant of PORTRAIT_VARIANTS) {
      const data = await variant.make(original);
      const analysis = await engine.analyze({ data }, { mode: 'still' });
      const report = await checkStill({ data }, analysis, spec);
      const of = (id: CheckId) => report.checks.find((c) => c.id === id)!;
      const mouth = of('mouth.closed');
      const expression = of('expression.neutral');
      outcomes.push({
        fixture,
        variant: variant.name,
        failed: report.face ? { 'mouth.closed': !mouth.pass, 'expression.neutral': !expression.pass } : null,
        values: { 'mouth.closed': mouth.value, 'expression.neutral': expression.value },
      });
    }
  }
  return outcomes;
}

/**
 * Rates per check. A teeth smile should fail `mouth.closed` (its lips are apart); closed lips
 * should pass it. `expression.neutral` should pass the neutral faces; the teeth smile counts as
 * detected by the pair when either check refuses it (`either`).
 */
export function mouthRates(
  outcomes: readonly MouthOutcome[],
): Record<'mouth.closed' | 'expression.neutral' | 'either', CheckRates> {
  const rates = (
    shouldFail: (o: MouthOutcome) => boolean,
    shouldPass: (o: MouthOutcome) => boolean,
    failed: (o: MouthOutcome) => boolean,
  ): CheckRates => {
    const bad = outcomes.filter(shouldFail);
    const good = outcomes.filter(shouldPass);
    return {
      detected: bad.filter(failed).length,
      shouldFail: bad.length,
      falseAlarms: good.filter(failed).length,
      shouldPass: good.length,
    };
  };
  const teeth = (o: MouthOutcome) => MOUTH_FIXTURES[o.fixture].teethSmile;
  const neutral = (o: MouthOutcome) => MOUTH_FIXTURES[o.fixture].neutral;
  // A variant where no face was found has no verdict on the mouth: a miss, never a pass.
  const mouthFailed = (o: MouthOutcome) => o.failed?.['mouth.closed'] ?? true;
  const expressionFailed = (o: MouthOutcome) => o.failed?.['expression.neutral'] ?? true;
  return {
    'mouth.closed': rates(teeth, (o) => !teeth(o), mouthFailed),
    'expression.neutral': rates(teeth, neutral, expressionFailed),
    either: rates(teeth, neutral, (o) => mouthFailed(o) || expressionFailed(o)),
  };
}

/** The bench figure's name (the CLI test lists every figure by name). */
export const MOUTH_FIGURE =
  'mouth.closed on the portraits and their variants: teeth smile refused, closed lips passed (share)';

/**
 * The bench figure: the share of photos on which `mouth.closed` is right (every teeth-smile
 * variant refused, every closed-lips variant passed); target all of them. The detail holds each
 * check's detections and false alarms, and the photos it got wrong.
 */
export async function benchMouthChecks(
  engine: FaceEngine,
  photos: Readonly<Record<MouthFixture, Buffer>>,
): Promise<BenchFigure> {
  const outcomes = await measureMouthChecks(engine, photos);
  const r = mouthRates(outcomes);
  const m = r['mouth.closed'];
  const right =
    Math.round((1000 * (m.detected + m.shouldPass - m.falseAlarms)) / (m.shouldFail + m.shouldPass)) / 1000;
  const wrong = outcomes
    .filter((o) => (o.failed?.['mouth.closed'] ?? true) !== MOUTH_FIXTURES[o.fixture].teethSmile)
    .map((o) => `${o.fixture} ${o.variant}`);
  return { name: MOUTH_FIGURE, value: right, unit: 'share', ...atLeast(right, 1), detail: { ...r, wrong } };
}

/** The demo portraits as the fixtures they were made from (`portrait-1.jpg` is test0, ...). */
export function fixturesFromDemo(demo: readonly Buffer[]): Record<MouthFixture, Buffer> {
  const names = Object.keys(MOUTH_FIXTURES) as MouthFixture[];
  if (demo.length < names.length)
    throw new RangeError(`need ${names.length} demo portraits, got ${demo.length}`);
  return Object.fromEntries(names.map((name, i) => [name, demo[i]!])) as Record<MouthFixture, Buffer>;
}
