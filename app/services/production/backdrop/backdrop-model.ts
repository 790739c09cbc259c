/**
 * The backdrop behind the person as a smooth colour field: a quadratic surface per channel fitted
 * to the pixels well away from the person (a lamp's fall-off is smooth; a street or a room is
 * not). Its residual tells a plain backdrop from a busy one, and the field is what the person's
 * edge pixels are a blend with.
 */
import type { RawRgb } from '../render-crop.ts';
import type { Mask } from './mask-filters.ts';

export interface BackdropModel {
  /** Enough backdrop was seen to fit the field. */
  readonly seen: boolean;
  /** Share of the photo that is backdrop well away from the person. */
  readonly share: number;
  /** The field's colour at a pixel. */
  colourAt(x: number, y: number): [number, number, number];
  /** The field along row `y`, RGB interleaved, into `out` (width * 3). */
  row(y: number, out: Float32Array): void;
  /** Mean colour of the backdrop pixels. */
  readonly mean: [number, number, number];
  /** Standard deviation of the backdrop pixels around the field, sRGB levels (luma). */
  readonly noise: number;
  /** Which pixels were used: 1 = backdrop well away from the person. */
  readonly isBackdrop: Uint8Array;
}

/** Person alpha below which a pixel (after the margin) counts as backdrop. */
const BACKDROP_ALPHA = 26;

/** `near`: the person's mask dilated by the margin that keeps the fit away from the person. */
export function fitBackdrop(photo: RawRgb, near: Mask): BackdropModel {
  const { width, height, data } = photo;
  const isBackdrop = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) if (near.data[i]! < BACKDROP_ALPHA) isBackdrop[i] = 1;
  // The field is smooth: every other pixel each way fits it as well as every pixel, four times faster.
  const basis = (x: number, y: number): number[] => {
    const u = x / width - 0.5;
    const v = y / height - 0.5;
    return [1, u, v, u * u, u * v, v * v];
  };
  const n = 6;
  const ata = Array.from({ length: n }, () => new Float64Array(n));
  const atb = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  let count = 0;
  const b = new Float64Array(n);
  const mean = [0, 0, 0];
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const i = y * width + x;
      if (!isBackdrop[i]) continue;
      count++;
      const u = x / width - 0.5;
      const v = y / height - 0.5;
      b[0] = 1;
      b[1] = u;
      b[2] = v;
      b[3] = u * u;
      b[4] = u * v;
      b[5] = v * v;
      for (let r = 0; r < n; r++) {
        const row = ata[r]!;
        const br = b[r]!;
        for (let c = 0; c < n; c++) row[c] = row[c]! + br * b[c]!;
        for (let ch = 0; ch < 3; ch++) atb[ch]![r] = atb[ch]![r]! + br * data[i * 3 + ch]!;
      }
      for (let ch = 0; ch < 3; ch++) mean[ch] = mean[ch]! + data[i * 3 + ch]!;
    }
  }
  const share = (count * 4) / (width * height);
  if (count < 50) {
    const white = (): [number, number, number] => [255, 255, 255];
    return {
      seen: false,
      share,
      colourAt: white,
      row: (_y, out) => out.fill(255),
      mean: [0, 0, 0],
      noise: Infinity,
      isBackdrop,
    };
  }
  const meanColour: [number, number, number] = [mean[0]! / count, mean[1]! / count, mean[2]! / count];
  const coefficients = atb.map((rhs, ch) => solve(ata, rhs) ?? [meanColour[ch]!, 0, 0, 0, 0, 0]);
  const colourAt = (x: number, y: number): [number, number, number] => {
    const b = basis(x, y);
    const out: [number, number, number] = [0, 0, 0];
    for (let ch = 0; ch < 3; ch++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += coefficients[ch]![k]! * b[k]!;
      out[ch] = v;
    }
    return out;
  };
  // Along a row v is fixed, so each channel is a quadratic in u: a + b u + c u².
  const row = (y: number, out: Float32Array): void => {
    const v = y / height - 0.5;
    for (let ch = 0; ch < 3; ch++) {
      const k = coefficients[ch]!;
      const a = k[0]! + k[2]! * v + k[5]! * v * v;
      const b = k[1]! + k[4]! * v;
      const c = k[3]!;
      for (let x = 0; x < width; x++) {
        const u = x / width - 0.5;
        out[x * 3 + ch] = a + b * u + c * u * u;
      }
    }
  };
  let sq = 0;
  const field = new Float32Array(width * 3);
  for (let y = 0; y < height; y += 2) {
    row(y, field);
    for (let x = 0; x < width; x += 2) {
      const i = y * width + x;
      if (!isBackdrop[i]) continue;
      const d =
        0.299 * (data[i * 3]! - field[x * 3]!) +
        0.587 * (data[i * 3 + 1]! - field[x * 3 + 1]!) +
        0.114 * (data[i * 3 + 2]! - field[x * 3 + 2]!);
      sq += d * d;
    }
  }
  return { seen: true, share, colourAt, row, mean: meanColour, noise: Math.sqrt(sq / count), isBackdrop };
}

/** Solves the normal equations by Gaussian elimination with partial pivoting; null when singular. */
function solve(a: readonly Float64Array[], b: Float64Array): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-9) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      const row = m[r]!;
      for (let c = col; c <= n; c++) row[c] = row[c]! - f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}
