// The mouth and expression figure's counting (the measuring itself runs in `kiosk bench`; the
// still-check tests run the same variants through the engine): which photos count as misses
// and false alarms, and that a variant without a face is never counted as passed.
import { describe, expect, it } from 'vitest';
import { fixturesFromDemo, mouthRates, type MouthOutcome } from '../../app/bench/mouth-figure.ts';
import { PORTRAIT_VARIANTS } from '../../app/bench/portrait-variants.ts';

const outcome = (
  fixture: MouthOutcome['fixture'],
  mouth: boolean | null,
  expression = false,
  variant = 'clean',
): MouthOutcome => ({
  fixture,
  variant,
  failed: mouth === null ? null : { 'mouth.closed': mouth, 'expression.neutral': expression },
  values: { 'mouth.closed': null, 'expression.neutral': null },
});

describe('mouthRates', () => {
  it('counts the teeth smile (test0) as to be refused and closed mouths as to be passed', () => {
    const rates = mouthRates([
      outcome('test0', true),
      outcome('test0', false, true, 'blur 1'),
      outcome('test1', false),
      outcome('test3', false, true),
      outcome('test4', true, true),
    ]);
    expect(rates['mouth.closed']).toEqual({ detected: 1, shouldFail: 2, falseAlarms: 1, shouldPass: 3 });
    // test4 smiles with closed lips: not a neutral face, so not a false alarm of the expression.
    expect(rates['expression.neutral']).toEqual({
      detected: 1,
      shouldFail: 2,
      falseAlarms: 1,
      shouldPass: 2,
    });
    expect(rates.either).toEqual({ detected: 2, shouldFail: 2, falseAlarms: 1, shouldPass: 2 });
  });

  it('counts a variant where no face was found as refused (a miss of the photo, never a pass)', () => {
    const rates = mouthRates([outcome('test0', null), outcome('test2', null)]);
    expect(rates['mouth.closed']).toMatchObject({ detected: 1, falseAlarms: 1 });
  });
});

describe('the variants and the demo portraits', () => {
  it('has the clean photo and small changes of light, turn, scale, compression, focus and lamp colour', () => {
    expect(PORTRAIT_VARIANTS.map((v) => v.name)).toEqual([
      'clean',
      'brightness 0.7',
      'brightness 1.25',
      'rotate -5°',
      'rotate 5°',
      'scale 0.7',
      'scale 1.5',
      'jpeg quality 40',
      'jpeg quality 70',
      'blur 1',
      'blur 1.5',
      'warm light',
      'cool light',
    ]);
  });

  it('maps portrait-1..5 onto test0..test4 and refuses fewer', () => {
    const demo = [1, 2, 3, 4, 5].map((i) => Buffer.from([i]));
    expect(fixturesFromDemo(demo).test0).toBe(demo[0]);
    expect(fixturesFromDemo(demo).test4).toBe(demo[4]);
    expect(() => fixturesFromDemo(demo.slice(0, 4))).toThrow(/need 5 demo portraits, got 4/);
  });
});
