// The crop plan on hand-made head landmarks (no face engine): the plan puts the head height, eye
// line and top margin where the spec asks, maps still points to where it says they land, levels
// the eyes, and refuses (naming the rule) where no crop fits the still.
import { describe, expect, it } from 'vitest';
import { DocumentCatalogue } from '../../config/documents/document-catalogue.ts';
import type { DocumentSpec } from '../../config/documents/document-spec.ts';
import { planCrop, printFrame, type CropPlan } from '../../app/services/production/crop-plan.ts';
import type { HeadLandmarks } from '../../app/services/production/head-landmarks.ts';
import { levelledFrame, type Pt } from '../../app/services/vision/checks/face-geometry.ts';

const catalogue = DocumentCatalogue.builtIn();
const IMAGE = { width: 4000, height: 6000 };

interface HeadOptions {
  /** Eye mid-point in the still. */
  eyes?: Pt;
  /** Inter-eye distance, still pixels. */
  ied?: number;
  /** Roll of the eye line, degrees clockwise (the person's left eye lower in the image). */
  rollDeg?: number;
  chinV?: number;
  crownV?: number;
  centreU?: number;
  faceWidth?: number;
  headWidthPx?: number | null;
}

/** A synthetic head: eye line through `eyes`, chin and crown along the face's vertical. */
function head(options: HeadOptions = {}): HeadLandmarks {
  const [ex, ey] = options.eyes ?? [2000, 2400];
  const half = (options.ied ?? 300) / 2;
  const a = ((options.rollDeg ?? 0) * Math.PI) / 180;
  const rightEye: Pt = [ex - half * Math.cos(a), ey - half * Math.sin(a)];
  const leftEye: Pt = [ex + half * Math.cos(a), ey + half * Math.sin(a)];
  const crownV = options.crownV ?? -735;
  return {
    frame: levelledFrame(rightEye, leftEye),
    eyeSource: 'iris',
    chinV: options.chinV ?? 700,
    crownV,
    crownSource: 'mask',
    hairTopV: crownV,
    skullTopV: crownV,
    centreU: options.centreU ?? 0,
    faceWidth: options.faceWidth ?? 600,
    headWidthPx: options.headWidthPx ?? null,
  };
}

/** The output size of a spec's print at 300 dpi. */
const outputPx = (spec: DocumentSpec) => ({
  width: Math.round((spec.print.widthMm / 25.4) * 300),
  height: Math.round((spec.print.heightMm / 25.4) * 300),
});

function plan(
  id: string,
  landmarks: HeadLandmarks,
  options: { levelEyes?: boolean; image?: { width: number; height: number } } = {},
): CropPlan {
  const spec = catalogue.get(id);
  return planCrop(landmarks, printFrame(spec), {
    minPrintDpi: 150,
    levelEyes: options.levelEyes ?? true,
    image: options.image ?? IMAGE,
    outputPx: outputPx(spec),
  });
}

const rule = (p: CropPlan, id: string) => {
  const found = p.rules.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id} in ${p.rules.map((r) => r.id).join(', ')}`);
  return found;
};
const failing = (p: CropPlan) => p.rules.filter((r) => !r.pass).map((r) => r.id);
const mid = (r: { min: number; max: number }) => (r.min + r.max) / 2;

/** Where the plan puts a point given in the head's levelled frame, in output pixels. */
const land = (p: CropPlan, h: HeadLandmarks, u: number, v: number) => p.fromStill(h.frame.fromFace(u, v));

describe('planCrop on a well-placed head', () => {
  for (const id of [
    'eu-passport',
    'schengen-visa',
    'uk-passport',
    'us-visa',
    'us-passport',
    'ca-passport',
    'jp-passport',
  ]) {
    it(`${id}: feasible, head height mid-range, every rule passing`, () => {
      const spec = catalogue.get(id);
      const p = plan(id, head());
      expect(p.feasible).toBe(true);
      expect(failing(p)).toEqual([]);
      expect(p.planned.headHeightMm).toBeCloseTo(mid(spec.head.heightMm), 0);
      expect(Math.abs(p.planned.headHeightMm - mid(spec.head.heightMm))).toBeLessThanOrEqual(0.3);
      expect(p.planned.offCentreMm).toBe(0);
      expect(p.widthPx).toBe(outputPx(spec).width);
      expect(p.heightPx).toBe(outputPx(spec).height);
      // 1435 still pixels of head over ~34 mm: about 1070 dpi from the still.
      expect(p.planned.printDpi).toBeCloseTo(25.4 * p.planned.stillPxPerMm, 6);
      expect(p.planned.stillPxPerMm).toBeCloseTo(1435 / p.planned.headHeightMm, 6);
      expect(rule(p, 'head.height').measured).toBeCloseTo(p.planned.headHeightMm, 2);
    });
  }

  it('us-visa: the eye line lies inside its published range', () => {
    const spec = catalogue.get('us-visa');
    const p = plan('us-visa', head());
    expect(p.feasible).toBe(true);
    const eye = spec.eyeLineFromBottomMm!;
    expect(p.planned.eyeLineMm).toBeGreaterThanOrEqual(eye.min);
    expect(p.planned.eyeLineMm).toBeLessThanOrEqual(eye.max);
    expect(rule(p, 'eye.line')).toMatchObject({ pass: true, min: eye.min, max: eye.max });
  });

  it('cn-visa: the top margin lies inside its range (with a measured head width)', () => {
    const spec = catalogue.get('cn-visa');
    // 850 px wide over 1435 px tall: about 18 mm at a 30.5 mm head, inside 15-22 mm.
    const p = plan('cn-visa', head({ headWidthPx: 850 }));
    expect(p.feasible).toBe(true);
    expect(failing(p)).toEqual([]);
    const top = spec.topMarginMm!;
    expect(p.planned.topMarginMm).toBeGreaterThanOrEqual(top.min);
    expect(p.planned.topMarginMm).toBeLessThanOrEqual(top.max);
    expect(rule(p, 'top.margin').measured).toBeCloseTo(p.planned.topMarginMm, 2);
    expect(rule(p, 'bottom.margin').pass).toBe(true);
    expect(rule(p, 'head.width').measured).toBeCloseTo((850 * p.planned.headHeightMm) / 1435, 2);
  });

  it('cn-visa with no head width measured: the head.width rule cannot pass', () => {
    const p = plan('cn-visa', head({ headWidthPx: null }));
    expect(rule(p, 'head.width')).toMatchObject({ pass: false, measured: null });
    expect(p.feasible).toBe(false);
  });

  for (const id of ['eu-passport', 'us-visa', 'cn-visa', 'ca-passport']) {
    it(`${id}: crown, chin and eyes land in the output where the planned millimetres say`, () => {
      const spec = catalogue.get(id);
      const h = head({ headWidthPx: 850 });
      const p = plan(id, h);
      expect(p.feasible).toBe(true);
      const pxPerMm = p.heightPx / spec.print.heightMm;
      const crown = land(p, h, h.centreU, h.crownV);
      const chin = land(p, h, h.centreU, h.chinV);
      const eyes = p.fromStill(h.frame.origin);
      expect(crown[1] / pxPerMm).toBeCloseTo(p.planned.topMarginMm, 6);
      expect((chin[1] - crown[1]) / pxPerMm).toBeCloseTo(p.planned.headHeightMm, 6);
      expect((p.heightPx - eyes[1]) / pxPerMm).toBeCloseTo(p.planned.eyeLineMm, 6);
      // The face's centre line on the photo's (offset by the planned amount).
      expect(crown[0] / pxPerMm).toBeCloseTo(spec.print.widthMm / 2 + p.planned.offCentreMm, 6);
      expect(chin[0]).toBeCloseTo(crown[0], 6);
      // The scale is output pixels per still pixel.
      expect(p.scale).toBeCloseTo(pxPerMm / p.planned.stillPxPerMm, 9);
    });
  }
});

describe('levelling', () => {
  const tilted = head({ rollDeg: 5 });

  it('rotates a 5° roll level, with toStill and fromStill inverses', () => {
    const p = plan('eu-passport', tilted);
    expect(p.feasible).toBe(true);
    expect(p.rotationDeg).toBeCloseTo(-5, 2);
    expect(Math.abs(p.rotationDeg + 5)).toBeLessThanOrEqual(0.01);
    // Both eyes land on one output row.
    const right = p.fromStill(tilted.frame.fromFace(-150, 0));
    const left = p.fromStill(tilted.frame.fromFace(150, 0));
    expect(left[1]).toBeCloseTo(right[1], 6);
    expect(left[0] - right[0]).toBeCloseTo(300 * p.scale, 6);
    for (const [x, y] of [
      [0, 0],
      [p.widthPx, 0],
      [p.widthPx / 3, p.heightPx / 2],
      [p.widthPx, p.heightPx],
      [17.25, 404.5],
    ] as const) {
      const back = p.fromStill(p.toStill(x, y));
      expect(back[0]).toBeCloseTo(x, 6);
      expect(back[1]).toBeCloseTo(y, 6);
    }
    for (const point of [
      [2000, 2400],
      [1500, 1800],
      [2700, 3300],
    ] as const) {
      const back = p.toStill(...p.fromStill(point));
      expect(back[0]).toBeCloseTo(point[0], 6);
      expect(back[1]).toBeCloseTo(point[1], 6);
    }
    // The output's axes are the levelled frame's: one output row runs along the eye line.
    const a = p.toStill(0, 100);
    const b = p.toStill(100, 100);
    expect((Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI).toBeCloseTo(5, 6);
  });

  it('keeps the still axes with levelEyes false', () => {
    const p = plan('eu-passport', tilted, { levelEyes: false });
    expect(p.rotationDeg).toBe(0);
    expect(p.feasible).toBe(true);
    const a = p.toStill(0, 0);
    const b = p.toStill(100, 0);
    const c = p.toStill(0, 100);
    expect(b[1]).toBeCloseTo(a[1], 9);
    expect(c[0]).toBeCloseTo(a[0], 9);
    expect(b[0] - a[0]).toBeCloseTo(100 / p.scale, 9);
    const back = p.fromStill(p.toStill(123, 321));
    expect(back[0]).toBeCloseTo(123, 6);
    expect(back[1]).toBeCloseTo(321, 6);
    // The tilted head's crown and chin still land where the planned millimetres say.
    const pxPerMm = p.heightPx / 45;
    const crown = land(p, tilted, tilted.centreU, tilted.crownV);
    const chin = land(p, tilted, tilted.centreU, tilted.chinV);
    expect(crown[1] / pxPerMm).toBeCloseTo(p.planned.topMarginMm, 6);
    expect((chin[1] - crown[1]) / pxPerMm).toBeCloseTo(p.planned.headHeightMm, 6);
    expect((p.heightPx - p.fromStill(tilted.frame.origin)[1]) / pxPerMm).toBeCloseTo(p.planned.eyeLineMm, 6);
  });
});

describe('stills that cannot give the photo', () => {
  it('a head near the top edge: infeasible, crop.inside fails naming the top edge', () => {
    // The crown (735 px above the eyes) lies above the still.
    const p = plan('eu-passport', head({ eyes: [2000, 600] }));
    expect(p.feasible).toBe(false);
    const inside = rule(p, 'crop.inside');
    expect(inside.pass).toBe(false);
    expect(inside.measured).toBeGreaterThan(0.05);
    expect(inside.message).toContain('top');
    expect(inside.message).not.toMatch(/bottom|left|right/);
    expect(failing(p)).toContain('crop.inside');
  });

  it('a head near the left edge: crop.inside names the left edge', () => {
    const p = plan('eu-passport', head({ eyes: [300, 2400] }));
    expect(p.feasible).toBe(false);
    expect(rule(p, 'crop.inside').message).toContain('left');
  });

  it('a tiny head: the still has too few pixels for the print', () => {
    // A head of 30 still pixels printed 34 mm tall gets about 22 dpi.
    const p = plan('eu-passport', head({ ied: 6, chinV: 15, crownV: -15.75, faceWidth: 12 }));
    expect(p.feasible).toBe(false);
    const resolution = rule(p, 'resolution');
    expect(resolution.pass).toBe(false);
    expect(resolution.measured!).toBeLessThan(150);
    expect(resolution).toMatchObject({ unit: 'dpi', min: 150 });
    expect(failing(p)).toEqual(['resolution']);
  });

  it('a head just too near the side is moved off centre within maxOffCentreMm', () => {
    const spec = catalogue.get('eu-passport');
    // At a 34 mm head the centred frame runs 1.2 mm past the left edge, at 36 mm (the largest
    // allowed) still 0.24 mm: only an offset (up to 2 mm) keeps it inside.
    const stillPerMm = 1435 / 34;
    const h = head({ eyes: [16.3 * stillPerMm, 2400] });
    const centred = planCrop(
      h,
      { ...printFrame(spec), maxOffCentreMm: 0 },
      {
        minPrintDpi: 150,
        levelEyes: true,
        image: IMAGE,
        outputPx: outputPx(spec),
      },
    );
    expect(centred.feasible).toBe(false);
    expect(rule(centred, 'crop.inside').message).toContain('left');
    const p = plan('eu-passport', h);
    expect(p.feasible).toBe(true);
    expect(failing(p)).toEqual([]);
    expect(p.planned.offCentreMm).not.toBe(0);
    expect(Math.abs(p.planned.offCentreMm)).toBeLessThanOrEqual(spec.maxOffCentreMm);
    // The face sits right of the photo's centre line, so the frame stays inside the still.
    const centre = p.fromStill(h.frame.fromFace(h.centreU, 0));
    expect(centre[0] / (p.heightPx / 45)).toBeCloseTo(17.5 + p.planned.offCentreMm, 6);
    expect(p.toStill(0, 0)[0]).toBeGreaterThanOrEqual(-0.05 * p.planned.stillPxPerMm);
  });

  it('a still too narrow for the mid-range head gets a larger head within the range', () => {
    // 35 mm at a 34 mm head is 1477 still pixels: more than the still's 1440; at 35 mm or more it fits.
    const image = { width: 1440, height: 6000 };
    const h = head({ eyes: [720, 2400] });
    const p = plan('eu-passport', h, { image });
    expect(p.feasible).toBe(true);
    expect(failing(p)).toEqual([]);
    expect(p.planned.headHeightMm).toBeGreaterThan(34.8);
    expect(p.planned.headHeightMm).toBeLessThanOrEqual(36);
    const left = p.toStill(0, 0)[0];
    const right = p.toStill(p.widthPx, 0)[0];
    expect(left).toBeGreaterThanOrEqual(-0.05 * p.planned.stillPxPerMm);
    expect(right).toBeLessThanOrEqual(image.width + 0.05 * p.planned.stillPxPerMm);
    // Narrower than even the largest head allows: infeasible, naming both sides.
    const narrow = plan('eu-passport', head({ eyes: [650, 2400] }), { image: { width: 1300, height: 6000 } });
    expect(narrow.feasible).toBe(false);
    expect(rule(narrow, 'crop.inside').message).toMatch(/left and right/);
  });
});
