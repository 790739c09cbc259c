import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerFaceEngine } from '../../app/services/vision/engine/worker-face-engine.ts';
import { EnginePoseCoach } from '../../app/services/vision/live/engine-pose-coach.ts';
import { EngineStillChecker } from '../../app/services/vision/live/engine-still-checker.ts';
import { SteadyChecks } from '../../app/services/vision/live/steady-checks.ts';
import { CHECK_IDS } from '../../app/services/vision/checks/check-result.ts';
import type { LiveFrame } from '../../hardware/camera/camera-port.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { closeMouth, portraitsDir, rotate, sideBySide } from './checks/perturb.ts';

describe('SteadyChecks: hints do not flicker', () => {
  it('a check flips only after its new state held for flipMs', () => {
    const s = new SteadyChecks(300);
    expect(s.update(0, { a: true })).toEqual({ a: true });
    expect(s.update(100, { a: false })).toEqual({ a: true });
    expect(s.update(200, { a: true })).toEqual({ a: true }); // a blip: ignored
    expect(s.update(300, { a: false })).toEqual({ a: true });
    expect(s.update(599, { a: false })).toEqual({ a: true });
    expect(s.update(600, { a: false })).toEqual({ a: false });
  });

  it('says since when every named check has passed steadily', () => {
    const s = new SteadyChecks(300);
    s.update(0, { a: true, b: false });
    expect(s.allPassingSince(['a', 'b'])).toBeNull();
    s.update(100, { a: true, b: true });
    s.update(400, { a: true, b: true });
    expect(s.allPassingSince(['a', 'b'])).toBe(400);
    expect(s.allPassingSince(['a'])).toBe(0);
    expect(s.allPassingSince(['a', 'missing'])).toBeNull();
  });
});

describe('EnginePoseCoach and EngineStillChecker on the real engine', () => {
  let engine: WorkerFaceEngine;
  let portrait: Buffer;
  let teethSmile: Buffer;
  beforeAll(async () => {
    engine = await WorkerFaceEngine.start();
    // test0 smiles with the teeth showing (mouth.closed fails it); with its lips painted closed
    // over the teeth it meets every ICAO-style limit (see test/vision/checks).
    teethSmile = readFileSync(join(portraitsDir, 'test0.jpg'));
    const analysis = await engine.analyze({ data: teethSmile }, { mode: 'still' });
    portrait = await closeMouth(teethSmile, analysis.faces[0]!);
  }, 120_000);
  afterAll(() => engine.close());

  let seq = 0;
  async function frame(image: Buffer, width = 640): Promise<LiveFrame> {
    const data = await sharp(image).resize({ width }).jpeg({ quality: 85 }).toBuffer();
    const meta = await sharp(data).metadata();
    return { seq: ++seq, at: 0, width: meta.width!, height: meta.height!, mime: 'image/jpeg', data };
  }

  async function fullWidth(): Promise<number> {
    return (await sharp(portrait).metadata()).width!;
  }

  it('becomes ready only after every live check has held for steadyMs', async () => {
    const clock = new SimClock();
    const stillWidth = await fullWidth();
    const coach = new EnginePoseCoach({
      engine,
      clock,
      spec: 'eu-passport',
      steadyMs: 1200,
      stillWidth: () => stillWidth,
    });
    const good = await frame(portrait);
    const first = await coach.analyze(good);
    expect(first.ready).toBe(false);
    expect(first.face?.box[2]).toBeGreaterThan(50);
    let update = first;
    for (let t = 0; t < 1100; t += 100) {
      await clock.advance(100);
      update = await coach.analyze(good);
    }
    expect(update.ready).toBe(false);
    expect(update.hint).toBe('hint.holdStill');
    await clock.advance(200);
    update = await coach.analyze(good);
    expect(update.ready).toBe(true);
    expect(update.hint).toBeNull();
    expect(Object.keys(update.checks).sort()).toEqual([...CHECK_IDS].sort());
  }, 60_000);

  it('gives the one hint that matters, steadily: a tilted head, then two people', async () => {
    const clock = new SimClock();
    const stillWidth = await fullWidth();
    const coach = new EnginePoseCoach({ engine, clock, spec: 'eu-passport', stillWidth: () => stillWidth });
    await coach.analyze(await frame(portrait));
    const tilted = await frame(await rotate(portrait, 15));
    const blip = await coach.analyze(tilted);
    expect(blip.checks['head.roll']).toBe(true); // one frame is not enough to flip
    await clock.advance(400);
    const held = await coach.analyze(tilted);
    expect(held.checks['head.roll']).toBe(false);
    expect(held.hint).toBe('hint.tiltHeadRight');
    expect(held.ready).toBe(false);

    const two = await frame(await sideBySide(portrait, portrait), 960);
    await coach.analyze(two);
    await clock.advance(400);
    const crowd = await coach.analyze(two);
    expect(crowd.hint).toBe('hint.onlyOnePerson');
  }, 60_000);

  it('asks a person smiling with the teeth showing to close the mouth, and is never ready', async () => {
    const clock = new SimClock();
    const stillWidth = await fullWidth();
    const coach = new EnginePoseCoach({ engine, clock, spec: 'eu-passport', stillWidth: () => stillWidth });
    const smile = await frame(teethSmile);
    let update = await coach.analyze(smile);
    for (let t = 0; t < 2000; t += 100) {
      await clock.advance(100);
      update = await coach.analyze(smile);
    }
    expect(update).toMatchObject({ ready: false, hint: 'hint.closeMouth' });
    expect(update.checks['mouth.closed']).toBe(false);
    // The unit's own limit (config vision.checks) reaches the live check.
    const lenient = new EnginePoseCoach({
      engine,
      clock,
      spec: 'eu-passport',
      stillWidth: () => stillWidth,
      defaults: { maxTeethShare: 0.9 },
    });
    expect((await lenient.analyze(smile)).checks['mouth.closed']).toBe(true);
  }, 60_000);

  it('judges resolution at the still’s size, not the small live frame’s', async () => {
    const small = await frame(portrait, 240);
    const withoutStill = new EnginePoseCoach({ engine, clock: new SimClock(), spec: 'eu-passport' });
    const stillWidth = await fullWidth();
    const withStill = new EnginePoseCoach({
      engine,
      clock: new SimClock(),
      spec: 'eu-passport',
      stillWidth: () => stillWidth,
    });
    expect((await withoutStill.analyze(small)).checks['face.resolution']).toBe(false);
    expect((await withStill.analyze(small)).checks['face.resolution']).toBe(true);
  }, 60_000);

  it('a corrupt frame asks the person to wait and does not stop coaching', async () => {
    const coach = new EnginePoseCoach({ engine, clock: new SimClock(), spec: 'eu-passport' });
    const bad: LiveFrame = {
      seq: 1,
      at: 0,
      width: 640,
      height: 480,
      mime: 'image/jpeg',
      data: Buffer.from('not a jpeg'),
    };
    expect(await coach.analyze(bad)).toEqual({
      ready: false,
      hint: 'hint.pleaseWait',
      checks: {},
      face: null,
    });
    expect((await coach.analyze(await frame(portrait))).face).not.toBeNull();
  }, 60_000);

  it('the review verdict lists every check in plain words; an unreadable still fails clearly', async () => {
    const checker = new EngineStillChecker(engine);
    const good = await checker.check(portrait, 'eu-passport');
    expect(good.checks?.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(good.checks?.every((c) => c.message.length > 10)).toBe(true);
    expect(good.failed).toEqual(good.checks?.filter((c) => !c.pass).map((c) => c.id));
    expect(good.verdict).toBe('pass');
    const tilted = await checker.check(await rotate(portrait, 15), 'eu-passport');
    expect(tilted.verdict).toBe('fail');
    expect(tilted.failed).toContain('head.roll');
    const smiling = await checker.check(teethSmile, 'eu-passport');
    expect(smiling).toMatchObject({ verdict: 'fail', failed: ['mouth.closed'] });
    expect(smiling.checks?.find((c) => c.id === 'mouth.closed')?.message).toMatch(/teeth/);
    const lenient = new EngineStillChecker(engine, {}, undefined, { maxTeethShare: 0.9 });
    expect((await lenient.check(teethSmile, 'eu-passport')).verdict).toBe('pass');
    expect(await checker.check(Buffer.from('garbage'), 'eu-passport')).toMatchObject({
      verdict: 'fail',
      failed: ['image.readable'],
    });
  }, 60_000);
});

describe('LIVE_HINT_ORDER', () => {
  it('ranks every check exactly once, so ready means every check passed', async () => {
    const { LIVE_HINT_ORDER } = await import('../../app/services/vision/live/engine-pose-coach.ts');
    expect([...LIVE_HINT_ORDER].sort()).toEqual([...CHECK_IDS].sort());
  });
});
