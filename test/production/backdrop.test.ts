// The backdrop treatment on synthetic photos (no face engine): a light grey lit backdrop with a
// gentle gradient, a skin-coloured ellipse for the person, thin half-transparent hair strands
// just outside the person's mask. Replacement makes the backdrop the spec's colour without
// erasing the hair or leaving the old grey in it; correction moves a plain backdrop to the
// accepted colour with gains the face's highlights limit; a busy backdrop is not "plain". Plus
// the mask filters and the colour arithmetic the treatment is built on.
import { describe, expect, it } from 'vitest';
import type { RawRgb } from '../../app/services/production/render-crop.ts';
import { treatBackdrop } from '../../app/services/production/backdrop/treat-backdrop.ts';
import { boxBlur, dilate, erode, type Mask } from '../../app/services/production/backdrop/mask-filters.ts';
import {
  deltaE,
  fromLinear,
  hexToRgb,
  nearestColour,
  rgbToLab,
  toLinear,
  type Rgb,
} from '../../app/services/production/backdrop/colour.ts';

const W = 300;
const H = 400;
/** The person: an ellipse. */
const CX = 150;
const CY = 230;
const AX = 80;
const AY = 120;
const SKIN: Rgb = [200, 150, 120];
const HAIR: Rgb = [40, 30, 25];
/** Hair strands: 1 px vertical lines above the head, 4-9 px outside the ellipse. */
const STRAND_XS = [140, 150, 160];
const STRAND_YS = [101, 106] as const;

/** The lit grey backdrop: 205 to 235 left to right, a little brighter downwards. */
const backdropLevel = (x: number, y: number, base = 205) => base + 20 * (x / W) + 10 * (y / H);
const insideEllipse = (x: number, y: number) => ((x - CX) / AX) ** 2 + ((y - CY) / AY) ** 2 <= 1;
const isStrand = (x: number, y: number) => STRAND_XS.includes(x) && y >= STRAND_YS[0] && y <= STRAND_YS[1];

interface Scene {
  photo: RawRgb;
  mask: Mask;
}

/**
 * A photo and its person mask (the ellipse, blurred, so its 50% line is the ellipse's edge).
 * `highlight`: a 30x30 patch of that level on the forehead (about 3% of the face).
 */
function scene(
  options: { backdrop?: (x: number, y: number) => Rgb; highlight?: number; base?: number } = {},
): Scene {
  const backdrop =
    options.backdrop ??
    ((x: number, y: number): Rgb => {
      const v = backdropLevel(x, y, options.base);
      return [v, v, v];
    });
  const data = Buffer.alloc(W * H * 3);
  const person = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const inside = insideEllipse(x, y);
      let colour: Rgb = inside ? SKIN : backdrop(x, y);
      if (inside && options.highlight !== undefined && Math.abs(x - CX) < 15 && Math.abs(y - 200) < 15)
        colour = [options.highlight, options.highlight, options.highlight];
      // A strand covers half of its pixel: half hair, half the backdrop behind it.
      if (!inside && isStrand(x, y)) {
        const behind = colour;
        colour = [
          0.5 * HAIR[0] + 0.5 * behind[0],
          0.5 * HAIR[1] + 0.5 * behind[1],
          0.5 * HAIR[2] + 0.5 * behind[2],
        ];
      }
      for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.round(colour[c]!);
      person[i] = inside ? 255 : 0;
    }
  }
  return { photo: { data, width: W, height: H }, mask: boxBlur({ data: person, width: W, height: H }, 2) };
}

const pixel = (image: RawRgb, x: number, y: number): Rgb => {
  const i = (y * image.width + x) * 3;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
};
const gained = (level: number, gain: number) =>
  Math.min(255, Math.max(0, Math.round(fromLinear(toLinear(level) * gain))));

/** Mean colour of the backdrop well away from the person (and the strands). */
function backdropMean(image: RawRgb): Rgb {
  const sum: [number, number, number] = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (((x - CX) / (AX + 25)) ** 2 + ((y - CY) / (AY + 25)) ** 2 <= 1) continue;
      const [r, g, b] = pixel(image, x, y);
      sum[0] += r;
      sum[1] += g;
      sum[2] += b;
      n++;
    }
  }
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

describe('treatBackdrop: replacing a plain backdrop', () => {
  it('the mask puts the strands outside its 50% line', () => {
    const { mask } = scene();
    for (const x of STRAND_XS)
      for (let y = STRAND_YS[0]; y <= STRAND_YS[1]; y++) expect(mask.data[y * W + x]!).toBeLessThan(128);
    expect(mask.data[CY * W + CX]).toBe(255);
  });

  it('makes the backdrop exactly white, keeps the person (with the gains) and the hair', () => {
    const { photo, mask } = scene();
    const original = Buffer.from(photo.data);
    const out = treatBackdrop(photo, mask, { colours: ['#ffffff'], replace: true });
    expect(out).toMatchObject({ mode: 'replaced', plain: true, colour: '#ffffff' });
    // The input is not changed.
    expect(photo.data.equals(original)).toBe(true);
    expect(out.image.width).toBe(W);
    expect(out.image.height).toBe(H);
    for (const [x, y] of [
      [0, 0],
      [W - 1, 0],
      [0, H - 1],
      [W - 1, H - 1],
      [20, 200],
      [280, 60],
    ] as const)
      expect(pixel(out.image, x, y)).toEqual([255, 255, 255]);
    // Exposure went up towards white, equally per channel for a neutral grey.
    const [g] = out.gains;
    expect(g).toBeGreaterThan(1.2);
    expect(out.gains[1]).toBeCloseTo(g, 6);
    expect(out.gains[2]).toBeCloseTo(g, 6);
    // The person's inside is the original with the gains and nothing else.
    for (const [x, y] of [
      [CX, CY],
      [CX - 40, CY + 50],
      [CX + 30, CY - 60],
    ] as const) {
      const expected = SKIN.map((v, c) => gained(v, out.gains[c]!));
      const got = pixel(out.image, x, y);
      for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - expected[c]!)).toBeLessThanOrEqual(1);
    }
    // The strands are kept: clearly darker than the new backdrop.
    for (const x of STRAND_XS) {
      const strand = pixel(out.image, x, 103);
      expect(Math.max(...strand)).toBeLessThan(200);
      expect(strand[0]).toBeGreaterThan(100);
    }
  });

  // A half-covered dark strand differs from the backdrop by more than the colour alpha's full
  // range, so it counts as all hair: it is kept as it was (never lightened into a ghost, never
  // darkened), and the backdrop pixels around it become the new colour.
  it('keeps half-covered dark strands as they were, neither erased nor darkened', () => {
    const { photo, mask } = scene();
    const out = treatBackdrop(
      photo,
      mask,
      { colours: ['#ffffff'], replace: true },
      { physicalBackdrop: '#dadada' },
    );
    expect(out.mode).toBe('replaced');
    for (const g of out.gains) expect(Math.abs(g - 1)).toBeLessThan(0.05);
    for (const x of STRAND_XS) {
      const before = pixel(photo, x, 103);
      const after = pixel(out.image, x, 103);
      for (let c = 0; c < 3; c++) {
        const expected = gained(before[c]!, out.gains[c]!);
        expect(Math.abs(after[c]! - expected), `strand x=${x} channel ${c}`).toBeLessThanOrEqual(2);
        expect(after[c]!).toBeLessThan(200);
      }
    }
  });

  // The colour alpha is not blurred: a blur would lend a strand's alpha to the backdrop pixels
  // beside it, which would then keep a share of the old grey (a fringe).
  it('leaves no fringe of the old grey beside a strand', () => {
    const { photo, mask } = scene();
    const out = treatBackdrop(
      photo,
      mask,
      { colours: ['#ffffff'], replace: true },
      { physicalBackdrop: '#dadada' },
    );
    for (const x of STRAND_XS) {
      for (const side of [x - 1, x + 1]) {
        const beside = pixel(out.image, side, 103);
        expect(deltaE(rgbToLab(beside), rgbToLab([255, 255, 255])), `x=${side}: ${beside}`).toBeLessThan(2);
      }
    }
  });
});

describe('treatBackdrop: correcting without replacing', () => {
  it('moves a plain backdrop to the nearest accepted colour', () => {
    const { photo, mask } = scene({ base: 195 });
    const before = backdropMean(photo);
    expect(deltaE(rgbToLab(before), rgbToLab(hexToRgb('#e6e6e6')))).toBeGreaterThan(5);
    const out = treatBackdrop(photo, mask, { colours: ['#e6e6e6', '#dde9f5'], replace: false });
    expect(out).toMatchObject({ mode: 'corrected', plain: true, colour: null });
    expect(out.gains[0]).toBeGreaterThan(1);
    const after = backdropMean(out.image);
    expect(deltaE(rgbToLab(after), rgbToLab(hexToRgb('#e6e6e6')))).toBeLessThan(3);
    // The gradient is kept (no replacement), only brighter.
    expect(pixel(out.image, W - 5, 200)[0]).toBeGreaterThan(pixel(out.image, 5, 200)[0] + 15);
    // The strands are untouched but for the gains.
    expect(pixel(out.image, 150, 103)[0]).toBe(gained(pixel(photo, 150, 103)[0], out.gains[0]));
  });

  it('limits the gains by the face highlights: a highlight of 240 stops at the ceiling', () => {
    const { photo, mask } = scene({ highlight: 240 });
    const out = treatBackdrop(photo, mask, { colours: ['#e6e6e6'], replace: false });
    expect(out.mode).toBe('corrected');
    const highlight = pixel(out.image, CX, 200);
    expect(Math.max(...highlight)).toBeLessThanOrEqual(250);
    expect(Math.max(...highlight)).toBeGreaterThan(240);
    // The backdrop still moves towards the accepted colour, less far than without the highlight.
    const free = treatBackdrop(scene().photo, mask, { colours: ['#e6e6e6'], replace: false });
    expect(out.gains[0]).toBeGreaterThan(1);
    expect(out.gains[0]).toBeLessThan(free.gains[0]);
    const target = rgbToLab(hexToRgb('#e6e6e6'));
    expect(deltaE(rgbToLab(backdropMean(out.image)), target)).toBeLessThan(
      deltaE(rgbToLab(backdropMean(photo)), target),
    );
  });

  it('a face highlight of 250 does not clip above 250', () => {
    const { photo, mask } = scene({ highlight: 250 });
    const out = treatBackdrop(photo, mask, { colours: ['#e6e6e6'], replace: false });
    expect(out.mode).toBe('corrected');
    expect(Math.max(...pixel(out.image, CX, 200))).toBeLessThanOrEqual(250);
    expect(Math.max(...pixel(out.image, CX + 10, 190))).toBeLessThanOrEqual(250);
  });

  // A face already holding highlights above the ceiling holds a brightening back; it never
  // turns it into a darkening away from the accepted colour.
  it('never corrects a backdrop away from the accepted colour', () => {
    const { photo, mask } = scene({ highlight: 250 });
    const out = treatBackdrop(photo, mask, { colours: ['#e6e6e6'], replace: false });
    for (const g of out.gains) expect(g).toBeGreaterThanOrEqual(1);
    const target = rgbToLab(hexToRgb('#e6e6e6'));
    expect(deltaE(rgbToLab(backdropMean(out.image)), target)).toBeLessThanOrEqual(
      deltaE(rgbToLab(backdropMean(photo)), target),
    );
  });

  it('with no backdrop to measure, leaves the photo as it is', () => {
    // The person fills the frame: no backdrop is seen.
    const photo: RawRgb = { data: Buffer.alloc(W * H * 3, 180), width: W, height: H };
    const mask: Mask = { data: new Uint8Array(W * H).fill(255), width: W, height: H };
    const out = treatBackdrop(photo, mask, { colours: ['#ffffff'], replace: false });
    expect(out).toMatchObject({ mode: 'unchanged', plain: false, gains: [1, 1, 1] });
    expect(out.image.data.equals(photo.data)).toBe(true);
  });
});

describe('treatBackdrop: a busy backdrop', () => {
  /** Random noise, seeded: a street, not a lit backdrop. */
  const noisy = () => {
    let s = 12345;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    return (): Rgb => [90 + 160 * next(), 90 + 160 * next(), 90 + 160 * next()];
  };

  it('is not plain: no gains, unchanged without replacement', () => {
    const { photo, mask } = scene({ backdrop: noisy() });
    const out = treatBackdrop(photo, mask, { colours: ['#ffffff'], replace: false });
    expect(out).toMatchObject({ mode: 'unchanged', plain: false, gains: [1, 1, 1], colour: null });
    expect(out.image.data.equals(photo.data)).toBe(true);
  });

  it('is replaced with the mask soft edge', () => {
    const { photo, mask } = scene({ backdrop: noisy() });
    const out = treatBackdrop(photo, mask, { colours: ['#ffffff', '#e6e6e6'], replace: true });
    expect(out).toMatchObject({ mode: 'replaced', plain: false, gains: [1, 1, 1], colour: '#ffffff' });
    for (const [x, y] of [
      [0, 0],
      [W - 1, H - 1],
      [20, 200],
      [150, 95],
    ] as const)
      expect(pixel(out.image, x, y)).toEqual([255, 255, 255]);
    // The person's inside is untouched.
    expect(pixel(out.image, CX, CY)).toEqual(SKIN);
    expect(pixel(out.image, CX - 60, CY + 30)).toEqual(SKIN);
    // Across the edge (along the row through the centre, leftwards from x = CX - AX), the result
    // runs from the skin to white, and the mask's 50% line is about half way.
    const row = Array.from({ length: 13 }, (_, k) => pixel(out.image, CX - AX + 6 - k, CY)[0]);
    expect(row[0]).toBe(SKIN[0]);
    expect(row[12]).toBe(255);
    for (let k = 1; k < row.length; k++) expect(row[k]!).toBeGreaterThanOrEqual(row[k - 1]!);
    // At the edge itself the mask is about 50%: the pixel is about half skin (the noise there
    // is between 90 and 250, so the other half lies anywhere from 90 to 250 before the swap).
    const edgeAlpha = mask.data[CY * W + (CX - AX)]! / 255;
    expect(edgeAlpha).toBeGreaterThan(0.35);
    expect(edgeAlpha).toBeLessThan(0.65);
    expect(row[6]!).toBeGreaterThan(SKIN[0]);
    expect(row[6]!).toBeLessThan(255);
    // The hair strands outside the 50% line go with the backdrop: the mask's edge is all there is.
    expect(Math.min(...pixel(out.image, 150, 101))).toBeGreaterThan(240);
  });
});

describe('mask filters', () => {
  const randomMask = (width: number, height: number, seed: number, binary: boolean): Mask => {
    let s = seed;
    const data = new Uint8Array(width * height);
    for (let i = 0; i < data.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i] = binary ? (s >>> 31 ? 255 : 0) : s >>> 24;
    }
    return { data, width, height };
  };
  /** The square window's extreme by brute force, the window clamped at the edges. */
  const brute = (mask: Mask, r: number, pick: (...v: number[]) => number): Uint8Array => {
    const out = new Uint8Array(mask.data.length);
    for (let y = 0; y < mask.height; y++) {
      for (let x = 0; x < mask.width; x++) {
        const values: number[] = [];
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < mask.width && yy < mask.height)
              values.push(mask.data[yy * mask.width + xx]!);
          }
        out[y * mask.width + x] = pick(...values);
      }
    }
    return out;
  };

  it('dilate and erode equal the brute-force square max and min', () => {
    for (const [w, h] of [
      [37, 23],
      [16, 41],
      [5, 5],
    ] as const) {
      for (const binary of [true, false]) {
        const mask = randomMask(w, h, w * 31 + h + (binary ? 1 : 0), binary);
        for (const r of [1, 2, 3, 5, 8]) {
          expect([...dilate(mask, r).data], `dilate ${w}x${h} r=${r}`).toEqual([...brute(mask, r, Math.max)]);
          expect([...erode(mask, r).data], `erode ${w}x${h} r=${r}`).toEqual([...brute(mask, r, Math.min)]);
        }
      }
    }
  });

  it('radius 0 is the mask itself; a dilated mask grows a single pixel into a square', () => {
    const mask = randomMask(9, 9, 3, false);
    expect(dilate(mask, 0).data).toEqual(mask.data);
    const dot: Mask = { data: new Uint8Array(21 * 21), width: 21, height: 21 };
    dot.data[10 * 21 + 10] = 200;
    const grown = dilate(dot, 3).data;
    expect(grown.filter((v) => v === 200).length).toBe(49);
    expect(grown[7 * 21 + 7]).toBe(200);
    expect(grown[6 * 21 + 10]).toBe(0);
    expect(erode(dilate(dot, 3), 3).data).toEqual(dot.data);
  });

  it('boxBlur leaves a uniform mask as it is and spreads one pixel over (2r+1)² pixels', () => {
    const uniform: Mask = { data: new Uint8Array(30 * 20).fill(173), width: 30, height: 20 };
    for (const r of [1, 2, 4]) expect(boxBlur(uniform, r).data.every((v) => v === 173)).toBe(true);
    for (const r of [1, 2, 3]) {
      const dot: Mask = { data: new Uint8Array(31 * 31), width: 31, height: 31 };
      dot.data[15 * 31 + 15] = 255;
      const blurred = boxBlur(dot, r).data;
      const size = (2 * r + 1) ** 2;
      const lit = [...blurred.keys()].filter((i) => blurred[i]! > 0);
      expect(lit.length, `r=${r}`).toBe(size);
      for (const i of lit) {
        expect(Math.abs((i % 31) - 15)).toBeLessThanOrEqual(r);
        expect(Math.abs(Math.floor(i / 31) - 15)).toBeLessThanOrEqual(r);
        expect(blurred[i]).toBe(Math.round(255 / size));
      }
    }
  });

  it('boxBlur is the mean over the window with the edges repeated', () => {
    const mask = randomMask(23, 17, 99, false);
    const r = 2;
    const blurred = boxBlur(mask, r).data;
    for (let y = 0; y < mask.height; y++) {
      for (let x = 0; x < mask.width; x++) {
        let sum = 0;
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            const xx = Math.min(mask.width - 1, Math.max(0, x + dx));
            const yy = Math.min(mask.height - 1, Math.max(0, y + dy));
            sum += mask.data[yy * mask.width + xx]!;
          }
        expect(Math.abs(blurred[y * mask.width + x]! - sum / 25)).toBeLessThanOrEqual(0.5 + 1e-3);
      }
    }
  });
});

describe('colour arithmetic', () => {
  it('white is L* 100, black L* 0, greys have no colour', () => {
    const white = rgbToLab([255, 255, 255]);
    expect(white[0]).toBeCloseTo(100, 1);
    expect(Math.abs(white[1])).toBeLessThan(0.5);
    expect(Math.abs(white[2])).toBeLessThan(0.5);
    const black = rgbToLab([0, 0, 0]);
    expect(black[0]).toBeCloseTo(0, 6);
    const grey = rgbToLab([119, 119, 119]);
    expect(grey[0]).toBeCloseTo(50, 0);
    expect(Math.hypot(grey[1], grey[2])).toBeLessThan(0.5);
  });

  it('gives the known CIE76 distances', () => {
    // sRGB red is about L 53.2, a 80.1, b 67.2; blue about L 32.3, a 79.2, b -107.9.
    const red = rgbToLab([255, 0, 0]);
    expect(red[0]).toBeCloseTo(53.2, 0);
    expect(red[1]).toBeCloseTo(80.1, 0);
    expect(red[2]).toBeCloseTo(67.2, 0);
    expect(deltaE(red, rgbToLab([0, 0, 255]))).toBeCloseTo(176.3, 0);
    expect(deltaE(rgbToLab([255, 255, 255]), rgbToLab([0, 0, 0]))).toBeCloseTo(100, 1);
    expect(deltaE(red, red)).toBe(0);
    const a = rgbToLab([230, 230, 230]);
    const b = rgbToLab([243, 239, 224]);
    expect(deltaE(a, b)).toBeCloseTo(deltaE(b, a), 12);
  });

  it('finds the nearest accepted colour; sRGB and linear light round-trip', () => {
    expect(nearestColour([228, 228, 228], ['#ffffff', '#e6e6e6']).hex).toBe('#e6e6e6');
    expect(nearestColour([252, 252, 252], ['#ffffff', '#e6e6e6'])).toMatchObject({ hex: '#ffffff' });
    expect(nearestColour([255, 255, 255], ['#ffffff']).distance).toBeCloseTo(0, 6);
    for (let level = 0; level <= 255; level += 5) expect(fromLinear(toLinear(level))).toBeCloseTo(level, 6);
    expect(hexToRgb('#F3efe0')).toEqual([243, 239, 224]);
    expect(() => hexToRgb('white')).toThrow(RangeError);
  });
});
