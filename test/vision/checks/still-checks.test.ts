// The compliance checks on real photos: the portrait fixtures (../shared/fixtures/portraits/),
// perturbed with sharp so that one thing at a time goes wrong, and face-api's group photos. Every
// check has photos on which it must pass and photos on which it must fail. One face engine
// (wasm in a worker) serves the whole file.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysedFace, FaceAnalysis } from '../../../app/services/vision/engine/face-engine.ts';
import { WorkerFaceEngine } from '../../../app/services/vision/engine/worker-face-engine.ts';
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
} from '../../../app/services/vision/checks/check-result.ts';
import {
  checkFace,
  checkStill,
  faceContext,
  type StillReport,
} from '../../../app/services/vision/checks/check-still.ts';
import { decodeStill } from '../../../app/services/vision/checks/still-pixels.ts';
import { faceGeometry } from '../../../app/services/vision/checks/face-geometry.ts';
import { DEFAULT_LIMITS } from '../../../app/services/vision/checks/limits.ts';
import { measureMouthGap } from '../../../app/services/vision/checks/mouth-closed.ts';
import { PORTRAIT_VARIANTS } from '../../../app/bench/portrait-variants.ts';
import * as perturb from './perturb.ts';

const SPEC = 'eu-passport';
const PORTRAITS = ['test0', 'test1', 'test2', 'test3', 'test4'] as const;
type Portrait = (typeof PORTRAITS)[number];
/** The fixtures on a plain backdrop (test1 and test2 stand in front of a street and a room). */
const PLAIN_BACKDROP: Portrait[] = ['test0', 'test3', 'test4'];

const groups = perturb.groupDir();
const haveGroups = groups !== null && existsSync(path.join(groups, 'sample1.jpg'));
const noGroups = haveGroups
  ? ''
  : ' (skipped: @vladmandic/face-api is not installed, so its demo group photos are missing)';

let engine: WorkerFaceEngine;
const photos = new Map<Portrait, Buffer>();
const clean = new Map<Portrait, { analysis: FaceAnalysis; report: StillReport }>();

async function run(data: Buffer, spec = SPEC): Promise<{ analysis: FaceAnalysis; report: StillReport }> {
  const analysis = await engine.analyze({ data }, { mode: 'still' });
  return { analysis, report: await checkStill({ data }, analysis, spec) };
}

const photo = (name: Portrait) => photos.get(name)!;
const faceOf = (name: Portrait): AnalysedFace => clean.get(name)!.analysis.faces[0]!;
const cleanCheck = (name: Portrait, id: CheckId) => find(clean.get(name)!.report.checks, id);

function find(checks: readonly CheckResult[], id: CheckId): CheckResult {
  const found = checks.find((c) => c.id === id);
  expect(found, `check ${id}`).toBeDefined();
  return found!;
}

async function checkOf(data: Buffer, id: CheckId): Promise<CheckResult> {
  const { report } = await run(data);
  expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
  return find(report.checks, id);
}

/** Every check measured on the face of a group photo nearest to image x `centreX`. */
async function groupFace(
  sample: string,
  centreX: number,
): Promise<{ face: AnalysedFace; checks: CheckResult[] }> {
  const data = await readFile(path.join(groups!, `${sample}.jpg`));
  const analysis = await engine.analyze({ data }, { mode: 'still' });
  const pixels = await decodeStill({ data });
  const face = [...analysis.faces].sort(
    (a, b) => Math.abs(a.box[0] + a.box[2] / 2 - centreX) - Math.abs(b.box[0] + b.box[2] / 2 - centreX),
  )[0]!;
  expect(Math.abs(face.box[0] + face.box[2] / 2 - centreX)).toBeLessThan(face.box[2]);
  return { face, checks: checkFace(faceContext(pixels, analysis, face, SPEC)) };
}

beforeAll(async () => {
  engine = await WorkerFaceEngine.start();
  for (const name of PORTRAITS) {
    const data = await readFile(path.join(perturb.portraitsDir, `${name}.jpg`));
    photos.set(name, data);
    clean.set(name, await run(data));
  }
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

describe('the still report on the portrait fixtures', () => {
  it.each(PORTRAITS)(
    '%s: one face, every check id in order, each with a value, a limit and a message',
    (name) => {
      const { report, analysis } = clean.get(name)!;
      expect(analysis.faces).toHaveLength(1);
      expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
      for (const c of report.checks) {
        expect(typeof c.value, c.id).toBe('number');
        expect(Number.isFinite(c.limit), c.id).toBe(true);
        expect(c.message.length, c.id).toBeGreaterThan(5);
        if (!c.pass) expect(c.hint, c.id).toMatch(/^hint\./);
      }
      expect(report.face!.box).toEqual(analysis.faces[0]!.box);
      expect(report.verdict).toBe(report.checks.every((c) => c.pass) ? 'pass' : 'fail');
    },
  );

  it('fails test0 (plain backdrop, frontal, smiling with the teeth showing) on mouth.closed alone', () => {
    const { report } = clean.get('test0')!;
    expect(report.checks.filter((c) => !c.pass).map((c) => c.id)).toEqual(['mouth.closed']);
    expect(report.verdict).toBe('fail');
  });

  it('passes every check on test0 with its lips painted closed over the teeth', async () => {
    const { report } = await run(await perturb.closeMouth(photo('test0'), faceOf('test0')));
    expect(report.checks.filter((c) => !c.pass).map((c) => `${c.id}=${c.value}`)).toEqual([]);
    expect(report.verdict).toBe('pass');
  });

  it('reports a photo without a face: face.single fails, nothing else can be measured', async () => {
    const empty = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c8c8c8' } })
      .jpeg()
      .toBuffer();
    const { report } = await run(empty);
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(report.face).toBeNull();
    expect(report.checks[0]).toMatchObject({ id: 'face.single', pass: false, value: 0 });
    expect(report.checks.slice(1).every((c) => !c.pass && c.value === null)).toBe(true);
  });
});

describe('face.single', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'face.single')).toMatchObject({ pass: true, value: 1 });
  });

  it('fails on two portraits side by side, and still measures the larger face', async () => {
    const { report, analysis } = await run(await perturb.sideBySide(photo('test0'), photo('test3')));
    expect(analysis.faces).toHaveLength(2);
    expect(find(report.checks, 'face.single')).toMatchObject({
      pass: false,
      value: 2,
      hint: 'hint.onlyOnePerson',
    });
    expect(report.checks.filter((c) => c.value === null)).toEqual([]);
  });

  it.skipIf(!haveGroups).each(['sample1', 'sample2', 'sample3', 'sample4', 'sample5', 'sample6'])(
    `fails on the group photo %s${noGroups}`,
    async (sample) => {
      const { report } = await run(await readFile(path.join(groups!, `${sample}.jpg`)));
      const single = find(report.checks, 'face.single');
      expect(single.pass).toBe(false);
      expect(single.value).toBeGreaterThanOrEqual(3);
      expect(report.verdict).toBe('fail');
    },
  );
});

describe('face.inFrame', () => {
  it.each(PORTRAITS)('passes on %s (the whole head and the margins fit)', (name) => {
    expect(cleanCheck(name, 'face.inFrame')).toMatchObject({ pass: true, value: 1 });
  });

  it.each(['test0', 'test3'] as const)('fails on %s cut off through the forehead', async (name) => {
    const c = await checkOf(await perturb.cropThroughForehead(photo(name), faceOf(name)), 'face.inFrame');
    expect(c.pass).toBe(false);
    expect(c.value).toBeLessThan(0.9);
    expect(c.hint).toBe('hint.centerFace');
    expect(c.message).toMatch(/top/);
  });

  it('fails with "move back" when the face fills the photo', async () => {
    const [x, y, w, h] = faceOf('test1').box;
    const tight = await sharp(photo('test1'))
      .extract({ left: x - 20, top: y - 60, width: w + 40, height: h + 80 })
      .jpeg()
      .toBuffer();
    const c = await checkOf(tight, 'face.inFrame');
    expect(c).toMatchObject({ pass: false, hint: 'hint.moveBack' });
  });
});

describe('face.resolution', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'face.resolution').pass).toBe(true);
  });

  it.each(['test0', 'test3'] as const)(
    'fails on %s shrunk to half size (far from the camera)',
    async (name) => {
      const c = await checkOf(await perturb.farAway(photo(name), 0.5), 'face.resolution');
      expect(c).toMatchObject({ pass: false, hint: 'hint.moveCloser' });
      expect(c.value! / cleanCheck(name, 'face.resolution').value!).toBeCloseTo(0.5, 1);
    },
  );
});

describe('head.roll', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'head.roll').pass).toBe(true);
  });

  it.each(['test0', 'test1', 'test2'] as const)(
    'fails on %s turned 15° either way, with the hint that undoes the tilt',
    async (name) => {
      const clockwise = await checkOf(await perturb.rotate(photo(name), 15), 'head.roll');
      expect(clockwise).toMatchObject({ pass: false, hint: 'hint.tiltHeadRight' });
      expect(clockwise.value).toBeGreaterThan(8);
      const anticlockwise = await checkOf(await perturb.rotate(photo(name), -15), 'head.roll');
      expect(anticlockwise).toMatchObject({ pass: false, hint: 'hint.tiltHeadLeft' });
      expect(anticlockwise.value).toBeLessThan(-8);
    },
  );
});

describe('head.yaw', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'head.yaw').pass).toBe(true);
  });

  it.skipIf(!haveGroups)(`fails on a face in profile in a group photo${noGroups}`, async () => {
    const { checks } = await groupFace('sample2', 440);
    const yaw = find(checks, 'head.yaw');
    expect(yaw).toMatchObject({ pass: false, hint: 'hint.turnHeadLeft' });
    expect(yaw.value).toBeLessThan(-30);
  });
});

describe('head.pitch', () => {
  it('passes on test0', () => {
    expect(cleanCheck('test0', 'head.pitch').pass).toBe(true);
  });

  it.skipIf(!haveGroups)(`fails on faces looking down and up in group photos${noGroups}`, async () => {
    for (const [sample, x] of [
      ['sample2', 980],
      ['sample6', 1264],
    ] as const) {
      const pitch = find((await groupFace(sample, x)).checks, 'head.pitch');
      expect(pitch, `${sample} at x=${x}`).toMatchObject({ pass: false, hint: 'hint.chinUp' });
    }
    const up = find((await groupFace('sample5', 670)).checks, 'head.pitch');
    expect(up).toMatchObject({ pass: false, hint: 'hint.chinDown' });
    expect(up.value).toBeGreaterThan(15);
  });
});

describe('eyes.open', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'eyes.open').pass).toBe(true);
  });

  it.each(['test1', 'test2', 'test3'] as const)('fails on %s with the eyes painted shut', async (name) => {
    const c = await checkOf(await perturb.closeEyes(photo(name), faceOf(name)), 'eyes.open');
    expect(c).toMatchObject({ pass: false, hint: 'hint.openEyes' });
  });

  it.skipIf(!haveGroups)(`fails on downcast eyes in a group photo${noGroups}`, async () => {
    expect(find((await groupFace('sample2', 980)).checks, 'eyes.open').pass).toBe(false);
  });
});

describe('eyes.visible', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'eyes.visible').pass).toBe(true);
  });

  it.each(['test0', 'test3', 'test4'] as const)(
    'fails on %s with a black bar over the eyes',
    async (name) => {
      const c = await checkOf(await perturb.coverEyes(photo(name), faceOf(name)), 'eyes.visible');
      expect(c.pass).toBe(false);
      expect(c.value).toBeLessThan(0.05);
    },
  );

  it.each(['test1', 'test2'] as const)(
    'fails on %s behind dark glasses, asking to take them off',
    async (name) => {
      const c = await checkOf(await perturb.darkGlasses(photo(name), faceOf(name)), 'eyes.visible');
      expect(c).toMatchObject({ pass: false, hint: 'hint.removeGlasses' });
    },
  );
});

describe('gaze', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'gaze').pass).toBe(true);
  });

  it.each(['test0', 'test1', 'test3'] as const)(
    'fails on %s with the irises moved sideways',
    async (name) => {
      for (const shift of [0.25, -0.25]) {
        const c = await checkOf(await perturb.lookAside(photo(name), faceOf(name), shift), 'gaze');
        expect(c, `shift ${shift}`).toMatchObject({ pass: false, hint: 'hint.lookAtCamera' });
      }
    },
  );
});

describe('mouth.closed', () => {
  const CLOSED: Portrait[] = ['test1', 'test2', 'test3', 'test4'];

  it.each(CLOSED)('passes on %s (closed lips)', (name) => {
    expect(cleanCheck(name, 'mouth.closed')).toMatchObject({ pass: true, limit: DEFAULT_LIMITS.maxMouthGap });
  });

  it('fails on test0, a smile with the teeth showing that the mesh draws nearly closed', () => {
    const c = cleanCheck('test0', 'mouth.closed');
    expect(c).toMatchObject({
      pass: false,
      limit: DEFAULT_LIMITS.maxTeethShare,
      hint: 'hint.closeMouth',
      message: 'The lips are apart and the teeth show.',
    });
    expect(c.value).toBeGreaterThan(3 * DEFAULT_LIMITS.maxTeethShare);
    // The mesh's inner-lip gap alone would have passed it.
    expect(measureMouthGap(faceGeometry(faceOf('test0')))).toBeLessThan(DEFAULT_LIMITS.maxMouthGap);
  });

  it.each(PORTRAIT_VARIANTS.map((v) => v.name))(
    'fails on test0 (%s); passes on test3 and test4 (glossy lips) taken the same way',
    async (variantName) => {
      const variant = PORTRAIT_VARIANTS.find((v) => v.name === variantName)!;
      const teeth = await checkOf(await variant.make(photo('test0')), 'mouth.closed');
      expect(teeth).toMatchObject({
        pass: false,
        hint: 'hint.closeMouth',
        limit: DEFAULT_LIMITS.maxTeethShare,
      });
      for (const name of ['test3', 'test4'] as const) {
        const closed = await checkOf(await variant.make(photo(name)), 'mouth.closed');
        expect(closed, name).toMatchObject({ pass: true });
      }
    },
  );

  it('uses the limits it is given: a teeth share above the value passes', async () => {
    const data = photo('test0');
    const analysis = clean.get('test0')!.analysis;
    const value = cleanCheck('test0', 'mouth.closed').value!;
    const report = await checkStill({ data }, analysis, SPEC, {}, { maxTeethShare: value + 0.01 });
    expect(find(report.checks, 'mouth.closed').pass).toBe(true);
  });

  it.each(['test0', 'test1', 'test3'] as const)('fails on %s with an open mouth painted in', async (name) => {
    const c = await checkOf(await perturb.openMouth(photo(name), faceOf(name), 0.45), 'mouth.closed');
    expect(c).toMatchObject({ pass: false, hint: 'hint.closeMouth' });
  });

  it.skipIf(!haveGroups)(`fails on a laughing face in a group photo${noGroups}`, async () => {
    expect(find((await groupFace('sample1', 1572)).checks, 'mouth.closed').pass).toBe(false);
  });
});

describe('expression.neutral', () => {
  it.each(['test0', 'test1', 'test2'] as const)('passes on %s', (name) => {
    expect(cleanCheck(name, 'expression.neutral').pass).toBe(true);
  });

  it('fails on the smiling test4', () => {
    expect(cleanCheck('test4', 'expression.neutral')).toMatchObject({
      pass: false,
      hint: 'hint.neutralExpression',
    });
  });

  it.skipIf(!haveGroups)(`fails on a laughing face in a group photo${noGroups}`, async () => {
    expect(find((await groupFace('sample1', 1572)).checks, 'expression.neutral').pass).toBe(false);
  });
});

describe('lighting.uniform', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'lighting.uniform').pass).toBe(true);
  });

  it.each(['test0', 'test1', 'test3'] as const)(
    "fails on %s lit from one side (the person's right darkened)",
    async (name) => {
      const c = await checkOf(await perturb.sideLight(photo(name), faceOf(name)), 'lighting.uniform');
      expect(c).toMatchObject({ pass: false, hint: 'hint.lightingUneven' });
      expect(c.message).toMatch(/person's right side is/);
    },
  );
});

describe('exposure', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'exposure')).toMatchObject({ pass: true });
  });

  it.each(['test1', 'test3', 'test4'] as const)(
    'fails on %s at a quarter and at 2.5 times the light',
    async (name) => {
      const dark = await checkOf(await perturb.brightness(photo(name), 0.25), 'exposure');
      expect(dark).toMatchObject({ pass: false, hint: 'hint.tooDark' });
      const bright = await checkOf(await perturb.brightness(photo(name), 2.5), 'exposure');
      expect(bright).toMatchObject({ pass: false, hint: 'hint.tooBright' });
    },
  );
});

describe('sharpness', () => {
  it.each(PORTRAITS)('passes on %s', (name) => {
    expect(cleanCheck(name, 'sharpness').pass).toBe(true);
  });

  it.each(['test0', 'test1', 'test3'] as const)('fails on %s blurred (sigma 6)', async (name) => {
    const c = await checkOf(await perturb.blur(photo(name), 6), 'sharpness');
    expect(c).toMatchObject({ pass: false, hint: 'hint.holdStill' });
  });
});

describe('background.uniform', () => {
  it.each(PLAIN_BACKDROP)('passes on %s (plain backdrop)', (name) => {
    expect(cleanCheck(name, 'background.uniform').pass).toBe(true);
  });

  it.each(['test1', 'test2'] as const)('fails on %s (street / room behind the person)', (name) => {
    expect(cleanCheck(name, 'background.uniform')).toMatchObject({
      pass: false,
      hint: 'hint.backgroundBusy',
    });
  });

  it.each(['test0', 'test4'] as const)('fails on %s with a busy pattern around the head', async (name) => {
    const c = await checkOf(await perturb.busyBackground(photo(name), faceOf(name)), 'background.uniform');
    expect(c.pass).toBe(false);
  });
});
