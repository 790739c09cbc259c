import { describe, expect, it } from 'vitest';
import { planPrintSheet, type PrintSheetPlan, type Rect } from '../../app/services/production/print-sheet.ts';

/**
 * Layouts at the default 300 dpi. Sizes in pixels for reading the expectations: 35 mm = 413,
 * 45 mm = 531, 50.8 mm = 600, 50 mm = 591, 70 mm = 827, margin 3 mm = 35, gutter 2 mm = 24,
 * footer 4 mm = 47; a 4x6 in sheet is 1200x1800 portrait.
 */

const passport = { widthMm: 35, heightMm: 45 };

const photoRects = (plan: PrintSheetPlan): Rect[] =>
  plan.placements.map((p) => ({ ...p, width: plan.photo.width, height: plan.photo.height }));

/** Space between two rectangles (0 when they touch or overlap). */
function distance(a: Rect, b: Rect): number {
  const dx = Math.max(b.left - (a.left + a.width), a.left - (b.left + b.width), 0);
  const dy = Math.max(b.top - (a.top + a.height), a.top - (b.top + b.height), 0);
  return Math.max(dx, dy);
}

const inside = (r: Rect, area: Rect): boolean =>
  r.left >= area.left &&
  r.top >= area.top &&
  r.left + r.width <= area.left + area.width &&
  r.top + r.height <= area.top + area.height;

/** What every plan must hold: whole pixels, inside the margins, gutters everywhere. */
function expectSoundLayout(plan: PrintSheetPlan, copies: number): void {
  expect(plan.placements).toHaveLength(copies);
  const photos = photoRects(plan);
  for (const [i, photo] of photos.entries()) {
    expect(Number.isInteger(photo.left) && Number.isInteger(photo.top)).toBe(true);
    expect(inside(photo, plan.printable)).toBe(true);
    for (const other of photos.slice(i + 1))
      expect(distance(photo, other)).toBeGreaterThanOrEqual(plan.gutter);
    for (const footer of plan.footers) expect(distance(photo, footer)).toBeGreaterThanOrEqual(plan.gutter);
    for (const cut of plan.cuts) {
      const gap = Math.max(cut - (photo.left + photo.width), photo.left - cut);
      expect(gap).toBeGreaterThanOrEqual(plan.gutter);
    }
  }
  for (const footer of plan.footers) expect(inside(footer, plan.printable)).toBe(true);
  const margin = plan.printable.left;
  expect(plan.printable).toEqual({
    left: margin,
    top: margin,
    width: plan.width - 2 * margin,
    height: plan.height - 2 * margin,
  });
}

/** The photos' bounding box, to check it is centred. */
function block(plan: PrintSheetPlan): Rect {
  const photos = photoRects(plan);
  const left = Math.min(...photos.map((p) => p.left));
  const top = Math.min(...photos.map((p) => p.top));
  const right = Math.max(...photos.map((p) => p.left + p.width));
  const bottom = Math.max(...photos.map((p) => p.top + p.height));
  return { left, top, width: right - left, height: bottom - top };
}

function expectCentred(plan: PrintSheetPlan): void {
  const b = block(plan);
  const area = plan.printable;
  const below = plan.footers.length ? area.top + area.height - plan.footers[0]!.top + plan.gutter : 0;
  expect(Math.abs(b.left - area.left - (area.left + area.width - b.left - b.width))).toBeLessThanOrEqual(1);
  expect(
    Math.abs(b.top - area.top - (area.top + area.height - below - b.top - b.height)),
  ).toBeLessThanOrEqual(1);
}

function sheetTooSmall(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the plan to fail');
}

describe('planPrintSheet', () => {
  it('sizes a photo as round(mm / 25.4 * dpi)', () => {
    expect(planPrintSheet(passport, 1).photo).toEqual({ width: 413, height: 531 });
    expect(planPrintSheet(passport, 1, { dpi: 600 }).photo).toEqual({ width: 827, height: 1063 });
  });

  it('35x45 x4 on 4x6: a 2x2 block, portrait, centred', () => {
    const plan = planPrintSheet(passport, 4);
    expect(plan).toMatchObject({
      media: '4x6',
      orientation: 'portrait',
      width: 1200,
      height: 1800,
      dpi: 300,
    });
    expect(plan.grid).toEqual({ columns: 2, rows: 2 });
    expectSoundLayout(plan, 4);
    expectCentred(plan);
    expect(plan.footers).toHaveLength(1);
    expect(plan.footers[0]!.height).toBe(47);
  });

  it('35x45 x6 on 4x6: 2 columns x 3 rows, portrait', () => {
    const plan = planPrintSheet(passport, 6);
    expect(plan.orientation).toBe('portrait');
    expect(plan.grid).toEqual({ columns: 2, rows: 3 });
    expectSoundLayout(plan, 6);
    expectCentred(plan);
  });

  it('35x45 x8 on 4x6: only without the footer (landscape 4x2); with it, at most 6', () => {
    // Two rows in landscape need 2x531+24 = 1086 px; the footer and its gutter leave 1059.
    const error = sheetTooSmall(() => planPrintSheet(passport, 8));
    expect(error.code).toBe('sheet-too-small');
    expect(error.message).toBe('8 photos of 35x45 mm do not fit on 4x6 in media; at most 6');

    const plan = planPrintSheet(passport, 8, { footer: false });
    expect(plan).toMatchObject({ orientation: 'landscape', width: 1800, height: 1200 });
    expect(plan.grid).toEqual({ columns: 4, rows: 2 });
    expect(plan.footers).toEqual([]);
    expectSoundLayout(plan, 8);
    expectCentred(plan);
  });

  it('a short last row stays aligned to the columns', () => {
    const plan = planPrintSheet(passport, 5);
    expectSoundLayout(plan, 5);
    const columns = new Set(plan.placements.map((p) => p.left));
    expect(columns.size).toBe(plan.grid.columns);
  });

  it('2x2 in (50.8 mm) on 4x6: 2 fit; 4 would need the whole 4 in width with no margins', () => {
    const plan = planPrintSheet({ widthMm: 50.8, heightMm: 50.8 }, 2);
    expect(plan.photo).toEqual({ width: 600, height: 600 });
    expectSoundLayout(plan, 2);
    expectCentred(plan);

    const error = sheetTooSmall(() => planPrintSheet({ widthMm: 50.8, heightMm: 50.8 }, 4));
    expect(error.message).toBe('4 photos of 50.8x50.8 mm do not fit on 4x6 in media; at most 2');
  });

  it('50x70 on 4x6: 2 side by side in landscape, and the error names the maximum', () => {
    const plan = planPrintSheet({ widthMm: 50, heightMm: 70 }, 2);
    expect(plan).toMatchObject({ orientation: 'landscape', width: 1800, height: 1200 });
    expect(plan.grid).toEqual({ columns: 2, rows: 1 });
    expectSoundLayout(plan, 2);
    expectCentred(plan);

    const error = sheetTooSmall(() => planPrintSheet({ widthMm: 50, heightMm: 70 }, 6));
    expect(error.code).toBe('sheet-too-small');
    expect(error.message).toBe('6 photos of 50x70 mm do not fit on 4x6 in media; at most 2');
    expect(error).toMatchObject({ mostCopies: 2 });
  });

  it('50x70 on 5x7: a 2x2 block, portrait; 5 is too many', () => {
    const plan = planPrintSheet({ widthMm: 50, heightMm: 70 }, 4, { media: '5x7' });
    expect(plan).toMatchObject({ orientation: 'portrait', width: 1500, height: 2100 });
    expect(plan.grid).toEqual({ columns: 2, rows: 2 });
    expectSoundLayout(plan, 4);
    expectCentred(plan);
    expect(
      sheetTooSmall(() => planPrintSheet({ widthMm: 50, heightMm: 70 }, 5, { media: '5x7' })).message,
    ).toBe('5 photos of 50x70 mm do not fit on 5x7 in media; at most 4');
  });

  it('33x48 on A6: a 2x2 block on 1240x1748', () => {
    const plan = planPrintSheet({ widthMm: 33, heightMm: 48 }, 4, { media: 'a6' });
    expect(plan).toMatchObject({ orientation: 'portrait', width: 1240, height: 1748 });
    expect(plan.grid).toEqual({ columns: 2, rows: 2 });
    expectSoundLayout(plan, 4);
    expectCentred(plan);
    expect(
      sheetTooSmall(() => planPrintSheet({ widthMm: 33, heightMm: 48 }, 5, { media: 'a6' })).message,
    ).toBe('5 photos of 33x48 mm do not fit on A6 (105x148 mm) media; at most 4');
  });

  it('35x45 x6 on 2x6 strips: 3 per strip, none crossing the cut, gutter on both sides of it', () => {
    const plan = planPrintSheet(passport, 6, { media: '2x6-strips' });
    expect(plan).toMatchObject({ orientation: 'portrait', width: 1200, height: 1800, cuts: [600] });
    expect(plan.grid).toEqual({ columns: 1, rows: 3 });
    expectSoundLayout(plan, 6);
    const left = plan.placements.filter((p) => p.left + plan.photo.width <= 600 - plan.gutter);
    const right = plan.placements.filter((p) => p.left >= 600 + plan.gutter);
    expect(left).toHaveLength(3);
    expect(right).toHaveLength(3);
    // Each strip is centred on its own half, so the two halves match.
    expect(left.map((p) => p.top)).toEqual(right.map((p) => p.top));
    expect(600 - plan.gutter - (left[0]!.left + plan.photo.width)).toBe(left[0]!.left - plan.printable.left);
    // A footer per strip, each inside its own half.
    expect(plan.footers).toHaveLength(2);
    expect(plan.footers[0]!.left + plan.footers[0]!.width).toBeLessThanOrEqual(600);
    expect(plan.footers[1]!.left).toBeGreaterThanOrEqual(600);
  });

  it('2x6 strips: an odd count goes 3 + 2, and 7 do not fit', () => {
    const plan = planPrintSheet(passport, 5, { media: '2x6-strips' });
    expectSoundLayout(plan, 5);
    expect(plan.placements.filter((p) => p.left < 600)).toHaveLength(3);
    expect(sheetTooSmall(() => planPrintSheet(passport, 7, { media: '2x6-strips' })).message).toBe(
      '7 photos of 35x45 mm do not fit on 2x6 in strip media; at most 6',
    );
  });

  it('a photo larger than the media fits 0 times', () => {
    const error = sheetTooSmall(() => planPrintSheet({ widthMm: 120, heightMm: 160 }, 1));
    expect(error.message).toBe('1 photo of 120x160 mm does not fit on 4x6 in media; at most 0');
  });

  it('margins and gutters follow the options; undefined options take the defaults', () => {
    const plan = planPrintSheet(passport, 4, { marginMm: 5, gutterMm: 4, media: undefined });
    expect(plan.printable.left).toBe(59);
    expect(plan.gutter).toBe(47);
    expect(plan.media).toBe('4x6');
    expectSoundLayout(plan, 4);
  });

  it('rejects copies outside 1..32, unknown media and nonsense sizes, saying which', () => {
    for (const copies of [0, 33, 2.5]) {
      expect(() => planPrintSheet(passport, copies)).toThrow(
        expect.objectContaining({ code: 'invalid-copies', message: expect.stringContaining(String(copies)) }),
      );
    }
    expect(() => planPrintSheet(passport, 1, { media: 'a4' as never })).toThrow(
      expect.objectContaining({ code: 'unknown-media', message: expect.stringContaining('"a4"') }),
    );
    expect(() => planPrintSheet({ widthMm: 0, heightMm: 45 }, 1)).toThrow(
      expect.objectContaining({ code: 'invalid-photo-size' }),
    );
    expect(() => planPrintSheet(passport, 1, { dpi: 299.5 })).toThrow(
      expect.objectContaining({ code: 'invalid-sheet-options' }),
    );
  });
});
