// The compliance measures on synthetic faces and images: no face engine, fast. Each measure must
// read the raw quantity it claims (angles, ratios, shares) and move the right way.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkDecodedStill } from '../../../app/services/vision/checks/check-still.ts';
import { CHECK_IDS, type CheckResult } from '../../../app/services/vision/checks/check-result.ts';
import { cropNeeds, isKnownSpec } from '../../../app/services/vision/checks/crop-needs.ts';
import {
  backgroundCells,
  measureBackground,
} from '../../../app/services/vision/checks/background-uniform.ts';
import { measureExposure } from '../../../app/services/vision/checks/exposure.ts';
import { measureSmile } from '../../../app/services/vision/checks/expression-neutral.ts';
import { measureEyeOpening } from '../../../app/services/vision/checks/eyes-open.ts';
import { measureEyeVisibility } from '../../../app/services/vision/checks/eyes-visible.ts';
import { faceGeometry, MESH_GROUPS } from '../../../app/services/vision/checks/face-geometry.ts';
import { placeCrop } from '../../../app/services/vision/checks/face-in-frame.ts';
import { printDpi } from '../../../app/services/vision/checks/face-resolution.ts';
import { checkFaceSingle } from '../../../app/services/vision/checks/face-single.ts';
import { measureGaze } from '../../../app/services/vision/checks/gaze.ts';
import { checkHeadPose } from '../../../app/services/vision/checks/head-pose.ts';
import { lightingRatio, measureLighting } from '../../../app/services/vision/checks/lighting-uniform.ts';
import { DEFAULT_LIMITS, limitsFor } from '../../../app/services/vision/checks/limits.ts';
import { checkMouthClosed, measureMouthGap } from '../../../app/services/vision/checks/mouth-closed.ts';
import { measureTeeth, mouthRegions } from '../../../app/services/vision/checks/mouth-teeth.ts';
import { forEachPixelInPolygon } from '../../../app/services/vision/checks/regions.ts';
import { boothConfigSchema } from '../../../config/schema.ts';
import type { AnalysedFace, Point3 } from '../../../app/services/vision/engine/face-engine.ts';
import { lumaInPolygon, percentile } from '../../../app/services/vision/checks/regions.ts';
import { laplacianRatio, measureSharpness } from '../../../app/services/vision/checks/sharpness.ts';
import { decodeStill, fromRgb } from '../../../app/services/vision/checks/still-pixels.ts';
import { paintFace, syntheticFace } from './synthetic-face.ts';

const geometry = (options: Parameters<typeof syntheticFace>[0] = {}) => faceGeometry(syntheticFace(options));

describe('limits and crop needs', () => {
  it('has ICAO-style defaults that a spec and a caller can override', () => {
    expect(DEFAULT_LIMITS.maxRollDeg).toBe(8);
    expect(DEFAULT_LIMITS.maxYawDeg).toBe(8);
    expect(DEFAULT_LIMITS.maxPitchDeg).toBe(8);
    expect(limitsFor('uk-passport')).toEqual(DEFAULT_LIMITS);
    expect(limitsFor('de-passport').maxYawDeg).toBe(5);
    expect(limitsFor('de-passport', { maxYawDeg: 3 }).maxYawDeg).toBe(3);
  });

  it("takes the unit's limits from config under the spec's own, and config's defaults are these", () => {
    const unit = boothConfigSchema.parse({}).vision.checks;
    expect(unit).toEqual({
      maxMouthGap: DEFAULT_LIMITS.maxMouthGap,
      maxTeethShare: DEFAULT_LIMITS.maxTeethShare,
      maxSmile: DEFAULT_LIMITS.maxSmile,
    });
    expect(limitsFor('uk-passport', {}, { maxTeethShare: 0.2 }).maxTeethShare).toBe(0.2);
    expect(limitsFor('de-passport', {}, { maxYawDeg: 20 }).maxYawDeg).toBe(5);
    expect(limitsFor('de-passport', { maxYawDeg: 3 }, { maxYawDeg: 20 }).maxYawDeg).toBe(3);
    expect(() => boothConfigSchema.parse({ vision: { checks: { maxTeethShare: 0 } } })).toThrow(
      /maxTeethShare/,
    );
  });

  it('knows every document spec, with head heights of 0.4 to 0.8 of the photo', () => {
    for (const id of ['us-passport', 'uk-passport', 'eu-passport', 'cn-visa', 'ca-passport', 'au-passport']) {
      const needs = cropNeeds(id);
      expect(needs.headHeight.min).toBeGreaterThan(0.4);
      expect(needs.headHeight.max).toBeLessThan(0.81);
      expect(needs.headHeight.min).toBeLessThan(needs.headHeight.max);
    }
    expect(cropNeeds('us-passport')).toMatchObject({ widthMm: 50.8, heightMm: 50.8 });
    expect(isKnownSpec('xx-passport')).toBe(false);
    expect(() => cropNeeds('xx-passport')).toThrow(/unknown document spec/);
  });
});

describe('region statistics', () => {
  it('takes the pixels inside a polygon, percentiles', () => {
    const pixels = fromRgb(
      new Uint8Array(10 * 10 * 3).map((_, i) => (Math.floor(i / 3) % 10) * 20),
      10,
      10,
    );
    const inside = lumaInPolygon(pixels, [
      [2, 2],
      [6, 2],
      [6, 5],
      [2, 5],
    ]);
    expect(inside.length).toBe(12);
    expect([...new Set(inside)].sort((a, b) => a - b)).toEqual([40, 60, 80, 100]);
    expect(percentile(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.5)).toBe(6);
  });
});

describe('face geometry', () => {
  it('finds the eye line, inter-eye distance, chin and crown, and levels the face frame', () => {
    const g = geometry({ centre: [200, 220], ied: 80, rollDeg: 20 });
    expect(g.ied).toBeCloseTo(80, 5);
    expect(Math.atan2(g.ex[1], g.ex[0]) * (180 / Math.PI)).toBeCloseTo(20, 5);
    expect(g.eyeToChin).toBeCloseTo(1.45 * 80, 5);
    expect(g.headHeight).toBeCloseTo(2.05 * 1.45 * 80, 5);
    const [u, v] = g.toFace(g.chin);
    expect(u).toBeCloseTo(0, 5);
    expect(v).toBeCloseTo(116, 5);
    expect(g.fromFace(u, v)[0]).toBeCloseTo(g.chin[0], 5);
  });
});

describe('geometric measures', () => {
  it('eyes.open: eyelid gap over the inter-eye distance', () => {
    expect(measureEyeOpening(geometry({ eyeOpening: 0.17 })).value).toBeCloseTo(0.17, 2);
    expect(measureEyeOpening(geometry({ eyeOpening: 0.03, rollDeg: 30 })).value).toBeCloseTo(0.03, 2);
  });

  it('mouth.closed: inner-lip gap over the face height', () => {
    expect(measureMouthGap(geometry({ mouthGap: 0 }))).toBeCloseTo(0, 5);
    expect(measureMouthGap(geometry({ mouthGap: 0.2 }))).toBeCloseTo(0.2 / 2.35, 3);
  });

  it('expression.neutral: mouth corner lift over the mouth width, upright or tilted', () => {
    expect(measureSmile(geometry({ cornerLift: 0 }))).toBeCloseTo(0, 5);
    expect(measureSmile(geometry({ cornerLift: 0.08, rollDeg: -25 }))).toBeCloseTo(0.1, 5);
    expect(measureSmile(geometry({ cornerLift: -0.04 }))).toBeLessThan(0);
  });

  it('gaze: iris offset in the eye is an eyeball turn; a turned head looking at the camera is not looking away', () => {
    const straight = measureGaze(syntheticFace(), geometry())!;
    expect(straight.value).toBeLessThan(0.5);
    const aside = syntheticFace({ irisOffset: [0.15, -0.04] });
    const m = measureGaze(aside, faceGeometry(aside))!;
    expect(m.horizontal).toBeCloseTo((Math.asin(0.15 * 2.4) * 180) / Math.PI, 1);
    expect(m.value).toBeGreaterThan(DEFAULT_LIMITS.maxGazeDeg);
    // Head turned 20° to the image's right, eyes back on the camera: the iris sits towards the image's left.
    const back = syntheticFace({
      rotation: { yaw: 20 },
      irisOffset: [(-0.5 * Math.sin(Math.PI / 9)) / 2.4, -0.04],
    });
    expect(Math.abs(measureGaze(back, faceGeometry(back))!.horizontal)).toBeLessThan(0.5);
    const noIris = { ...syntheticFace(), iris: undefined };
    expect(measureGaze(noIris, faceGeometry(noIris))).toBeNull();
  });

  it('head.roll/yaw/pitch: within ± the limit, and the hint undoes the turn', () => {
    const [roll, yaw, pitch] = checkHeadPose({ roll: 15, yaw: -12, pitch: 3 }, DEFAULT_LIMITS);
    expect(roll).toMatchObject({
      id: 'head.roll',
      pass: false,
      value: 15,
      limit: 8,
      hint: 'hint.tiltHeadRight',
    });
    expect(yaw).toMatchObject({ id: 'head.yaw', pass: false, value: -12, hint: 'hint.turnHeadLeft' });
    expect(pitch).toMatchObject({ id: 'head.pitch', pass: true, value: 3 });
    expect(pitch!.hint).toBeUndefined();
    const [r2, y2, p2] = checkHeadPose({ roll: -9, yaw: 9, pitch: -9 }, DEFAULT_LIMITS);
    expect([r2!.hint, y2!.hint, p2!.hint]).toEqual([
      'hint.tiltHeadLeft',
      'hint.turnHeadRight',
      'hint.chinUp',
    ]);
    expect(checkHeadPose({ roll: 0, yaw: 0, pitch: 9 }, DEFAULT_LIMITS)[2]!.hint).toBe('hint.chinDown');
  });

  it('face.single: exactly one face', () => {
    expect(checkFaceSingle(1)).toMatchObject({ pass: true, value: 1 });
    expect(checkFaceSingle(2)).toMatchObject({ pass: false, value: 2, hint: 'hint.onlyOnePerson' });
    expect(checkFaceSingle(0)).toMatchObject({ pass: false, value: 0 });
  });

  it('face.inFrame: the tightest crop the document allows, and which edge it runs past', () => {
    const needs = cropNeeds('eu-passport');
    const g = geometry({ centre: [300, 300], ied: 60 });
    expect(placeCrop(g, { width: 600, height: 800 }, needs)).toMatchObject({ inside: 1, pastEdges: [] });
    const high = placeCrop(geometry({ centre: [300, 90], ied: 60 }), { width: 600, height: 800 }, needs);
    expect(high.inside).toBeLessThan(1);
    expect(high.pastEdges).toEqual(['top']);
    const close = placeCrop(geometry({ centre: [300, 300], ied: 250 }), { width: 600, height: 800 }, needs);
    expect(close.tooLarge).toBe(true);
  });

  it('face.resolution: print dpi from the head height at the middle of the spec range', () => {
    const needs = cropNeeds('eu-passport'); // 45 mm high, head 32-36 mm
    // A 600 px head at 34/45 of the photo: 794 px over 45 mm = 448 dpi.
    expect(printDpi(600, needs)).toBeCloseTo(600 / (34 / 45) / (45 / 25.4), 5);
  });
});

describe('pixel measures', () => {
  it('lighting.uniform: the darker cheek over the brighter', () => {
    const even = syntheticFace();
    expect(measureLighting(paintFace(even), faceGeometry(even))!.value).toBeCloseTo(1, 5);
    const halfDark = paintFace(even, { skin: (x) => (x < 200 ? 90 : 180) });
    expect(measureLighting(halfDark, faceGeometry(even))!.value).toBeCloseTo(0.5, 2);
    expect(lightingRatio(new Uint8Array(4), new Uint8Array(40))).toBeNull();
  });

  it('exposure: share of skin that is very dark or clipped', () => {
    const face = syntheticFace();
    const g = faceGeometry(face);
    expect(measureExposure(paintFace(face, { skin: () => 170 }), g)).toMatchObject({ value: 0 });
    expect(measureExposure(paintFace(face, { skin: () => 30 }), g)).toMatchObject({ dark: 1, value: 1 });
    expect(measureExposure(paintFace(face, { skin: () => 255 }), g)).toMatchObject({ clipped: 1, value: 1 });
    const halfClipped = measureExposure(paintFace(face, { skin: (x) => (x < 200 ? 255 : 170) }), g)!;
    expect(halfClipped.clipped).toBeGreaterThan(0.3);
    expect(halfClipped.clipped).toBeLessThan(0.7);
  });

  it('eyes.visible: contrast inside the lids, gone under a bar or dark glasses', () => {
    const face = syntheticFace();
    const g = faceGeometry(face);
    const open = measureEyeVisibility(paintFace(face), g)!;
    expect(open.value).toBeGreaterThan(0.8);
    expect(open.surround).toBeGreaterThan(0.5);
    const covered = measureEyeVisibility(paintFace(face, { eyes: false }), g)!;
    expect(covered.value).toBeLessThan(0.05);
  });

  it('sharpness: Laplacian spread over luminance spread, independent of contrast and scale', () => {
    const checker = (size: number, cell: number, contrast: number) => {
      const luma = new Float32Array(size * size);
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++)
          luma[y * size + x] = 128 + contrast * ((Math.floor(x / cell) + Math.floor(y / cell)) % 2 ? 1 : -1);
      return { width: size, height: size, luma };
    };
    const fine = laplacianRatio(checker(64, 2, 50));
    expect(laplacianRatio(checker(64, 2, 10))).toBeCloseTo(fine, 5);
    expect(laplacianRatio(checker(64, 8, 50))).toBeLessThan(fine / 2);
    expect(laplacianRatio({ width: 64, height: 64, luma: new Float32Array(64 * 64).fill(90) })).toBe(0);
    // On a painted face: a textured skin is sharper than a smooth one.
    const face = syntheticFace();
    const textured = paintFace(face, { skin: (x, y) => 160 + ((x * 7 + y * 13) % 5) * 8 });
    expect(measureSharpness(textured, faceGeometry(face))).toBeGreaterThan(
      measureSharpness(paintFace(face), faceGeometry(face)),
    );
  });

  it('background.uniform: gradients of the backdrop outside the head, not of the face', () => {
    const face = syntheticFace({ centre: [200, 200], ied: 60 });
    const g = faceGeometry(face);
    const plain = measureBackground(paintFace(face, { width: 400, height: 500 }), g)!;
    expect(plain.value).toBeLessThan(0.5);
    expect(plain.cells).toBeGreaterThan(1000);
    const stripes = measureBackground(
      paintFace(face, { width: 400, height: 500, background: (x) => (Math.floor(x / 12) % 2 ? 60 : 200) }),
      g,
    )!;
    expect(stripes.value).toBeGreaterThan(DEFAULT_LIMITS.maxBackgroundGradient * 3);
    // The cells left out: the head with its hair, and everything below the chin.
    const k = 4;
    const [w, h] = [100, 125];
    const cells = backgroundCells(g, w, h, k, 1);
    const at = (x: number, y: number) => cells[Math.floor(y / k) * w + Math.floor(x / k)];
    expect(at(200, 200)).toBe(0); // between the eyes
    expect(at(200, g.crown[1] - 10)).toBe(0); // hair above the crown
    expect(at(200, g.chin[1] + 40)).toBe(0); // below the chin
    expect(at(20, 20)).toBe(1); // the corner above the shoulder
    expect(at(380, 150)).toBe(1);
    // On a decoded image half the size, the same places (cells are judged in the image's pixels).
    const half = backgroundCells(g, w / 2, Math.floor(h / 2), k, 0.5);
    expect(half[Math.floor(100 / k) * (w / 2) + Math.floor(100 / k)]).toBe(0);
    expect(half[Math.floor(10 / k) * (w / 2) + Math.floor(10 / k)]).toBe(1);
    // A face filling the photo leaves no background to judge.
    const close = syntheticFace({ centre: [60, 50], ied: 60 });
    expect(measureBackground(paintFace(close, { width: 120, height: 120 }), faceGeometry(close))).toBeNull();
  });
});

/**
 * The synthetic face with lips: the mesh's lip contours (as `MESH_GROUPS` lists them) on a mouth
 * 0.8 inter-eye distances wide, the lips `lipHeight` thick each, `gap` apart; painted in colour:
 * skin, red lips, and between them `between` (teeth, the lips' colour, or a gloss highlight).
 */
function mouthFace(ied = 80): AnalysedFace {
  const base = syntheticFace({ ied, centre: [200, 220] });
  const mesh = base.mesh.map((p): Point3 => [...p]);
  const set = (i: number, u: number, v: number) => (mesh[i] = [200 + u * ied, 220 + v * ied, 0]);
  const n = MESH_GROUPS.innerLipUpper.length;
  for (let k = 0; k < n; k++) {
    const u = -0.4 + (0.8 * k) / (n - 1);
    const bulge = Math.sin((Math.PI * k) / (n - 1));
    set(MESH_GROUPS.innerLipUpper[k]!, u, 1.0 - 0.01 * bulge);
    set(MESH_GROUPS.innerLipLower[k]!, u, 1.0 + 0.01 * bulge);
    set(MESH_GROUPS.outerLipUpper[k]!, u, 1.0 - 0.12 * bulge);
    set(MESH_GROUPS.outerLipLower[k]!, u, 1.0 + 0.16 * bulge);
  }
  return { ...base, mesh };
}

function paintMouth(
  face: AnalysedFace,
  between: readonly [number, number, number],
  where: 'band' | 'lowerLipMiddle' = 'band',
) {
  const width = 400;
  const height = 520;
  const rgb = new Uint8Array(width * height * 3);
  const fill = (i: number, c: readonly number[]) => rgb.set(c, 3 * i);
  for (let i = 0; i < width * height; i++) fill(i, [205, 160, 140]);
  const g = faceGeometry(face);
  const { band, mouth } = mouthRegions(g);
  const pixels = fromRgb(rgb, width, height);
  forEachPixelInPolygon(pixels, mouth, (i) => fill(i, [180, 70, 75]));
  if (where === 'band') forEachPixelInPolygon(pixels, band, (i) => fill(i, between));
  else {
    const [x, y] = g.fromFace(0, 1.1 * g.ied);
    forEachPixelInPolygon(
      pixels,
      [
        [x - 6, y - 2],
        [x + 6, y - 2],
        [x + 6, y + 2],
        [x - 6, y + 2],
      ],
      (i) => fill(i, between),
    );
  }
  return fromRgb(rgb, width, height);
}

describe('teeth between the lips', () => {
  const face = mouthFace();
  const g = faceGeometry(face);

  it('reads the share of the band between the lips that is bright and colourless', () => {
    const teeth = measureTeeth(paintMouth(face, [235, 228, 215]), g)!;
    expect(teeth.share).toBeGreaterThan(0.95);
    expect(teeth.lipRedness).toBeCloseTo((180 - 70) / 180, 2);
    const closed = measureTeeth(paintMouth(face, [150, 55, 60]), g)!;
    expect(closed.share).toBe(0);
  });

  it('does not take a dark mouth opening, pink lips or a gloss highlight on the lower lip for teeth', () => {
    expect(measureTeeth(paintMouth(face, [40, 20, 20]), g)!.share).toBe(0);
    expect(measureTeeth(paintMouth(face, [225, 140, 150]), g)!.share).toBe(0);
    expect(measureTeeth(paintMouth(face, [250, 245, 245], 'lowerLipMiddle'), g)!.share).toBeLessThan(0.05);
  });

  it('mouth.closed fails on teeth with their own limit, and passes closed lips on the gap', () => {
    const ctx = (pixels: ReturnType<typeof paintMouth>) => ({
      image: { width: 400, height: 520 },
      face,
      geometry: g,
      pixels,
      limits: DEFAULT_LIMITS,
      needs: cropNeeds('eu-passport'),
    });
    expect(checkMouthClosed(ctx(paintMouth(face, [235, 228, 215])))).toMatchObject({
      pass: false,
      limit: DEFAULT_LIMITS.maxTeethShare,
      hint: 'hint.closeMouth',
    });
    expect(checkMouthClosed(ctx(paintMouth(face, [150, 55, 60])))).toMatchObject({
      pass: true,
      limit: DEFAULT_LIMITS.maxMouthGap,
    });
  });

  it('has nothing to measure when the mouth is outside the photo', () => {
    expect(measureTeeth(fromRgb(new Uint8Array(30 * 30 * 3), 30, 30), g)).toBeNull();
  });
});

describe('the still report', () => {
  const ids = (checks: readonly CheckResult[]) => checks.map((c) => c.id);
  const pixels = paintFace(syntheticFace({ centre: [200, 200], ied: 60 }), { width: 400, height: 500 });
  const image = { width: 400, height: 500 };

  it('with no face: every check id, face.single failed, the rest not measured', () => {
    const report = checkDecodedStill(
      pixels,
      { ...image, faces: [] },
      cropNeeds('eu-passport'),
      DEFAULT_LIMITS,
    );
    expect(report.verdict).toBe('fail');
    expect(report.face).toBeNull();
    expect(ids(report.checks)).toEqual([...CHECK_IDS]);
    expect(report.checks[0]).toMatchObject({ id: 'face.single', pass: false, value: 0 });
    for (const c of report.checks.slice(1)) {
      expect(c.pass).toBe(false);
      expect(c.value).toBeNull();
      expect(c.message).toMatch(/No face/);
    }
  });

  it('with two faces: face.single fails and the largest face is measured', () => {
    const a = syntheticFace({ centre: [200, 200], ied: 60 });
    const b = syntheticFace({ centre: [340, 120], ied: 20 });
    const report = checkDecodedStill(
      pixels,
      { ...image, faces: [a, b] },
      cropNeeds('eu-passport'),
      DEFAULT_LIMITS,
    );
    expect(ids(report.checks)).toEqual([...CHECK_IDS]);
    expect(report.checks[0]).toMatchObject({ pass: false, value: 2, hint: 'hint.onlyOnePerson' });
    expect(report.face!.box).toEqual(a.box);
    expect(report.checks.filter((c) => c.value === null)).toEqual([]);
  });

  it('with one synthetic compliant face: values, limits, messages for every check', () => {
    const face = syntheticFace({ centre: [200, 200], ied: 60 });
    const report = checkDecodedStill(
      pixels,
      { ...image, faces: [face] },
      cropNeeds('eu-passport'),
      DEFAULT_LIMITS,
    );
    expect(ids(report.checks)).toEqual([...CHECK_IDS]);
    for (const c of report.checks) {
      expect(typeof c.value).toBe('number');
      expect(typeof c.limit).toBe('number');
      expect(c.message.length).toBeGreaterThan(5);
      expect(c.pass ? c.hint : 'failed').toBe(c.pass ? undefined : 'failed');
    }
  });

  it('refuses pixels of another image', () => {
    expect(() =>
      checkDecodedStill(
        pixels,
        { width: 800, height: 1000, faces: [] },
        cropNeeds('eu-passport'),
        DEFAULT_LIMITS,
      ),
    ).toThrow(/not those of the analysed image/);
  });
});

describe('decoding the still', () => {
  it('applies the EXIF orientation like the engine, and scales a large image down', async () => {
    const base = sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } });
    const turned = await base.clone().jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const upright = await decodeStill({ data: turned });
    expect([upright.width, upright.height, upright.scale]).toEqual([200, 300, 1]);
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    const small = await decodeStill({ data: big });
    expect([small.width, small.height, small.scale]).toEqual([2000, 1500, 0.5]);
    expect(small.luma.length).toBe(2000 * 1500);
    await expect(decodeStill({ data: Buffer.from('not an image') })).rejects.toThrow();
  });
});
