/**
 * Square max/min filters (dilate, erode) and a box blur on one-byte masks, each separable and
 * linear in the pixel count whatever the radius (a running window per row, then per column).
 */
export interface Mask {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export const dilate = (mask: Mask, radius: number): Mask => extreme(mask, radius, Math.max);
export const erode = (mask: Mask, radius: number): Mask => extreme(mask, radius, Math.min);

function extreme(mask: Mask, radius: number, pick: (a: number, b: number) => number): Mask {
  const { width, height } = mask;
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return mask;
  // van Herk / Gil-Werman: prefix and suffix extremes over blocks of the window's size give
  // each window's extreme in two lookups, whatever the radius.
  const pass = (src: Uint8Array, w: number, h: number, stride: number, step: number): Uint8Array => {
    const out = new Uint8Array(src.length);
    const size = 2 * r + 1;
    const line = new Uint8Array(w + 2 * r);
    const prefix = new Uint8Array(line.length);
    const suffix = new Uint8Array(line.length);
    for (let j = 0; j < h; j++) {
      const base = j * stride;
      // Padding repeats the edge pixel, which changes no window's extreme.
      for (let i = 0; i < line.length; i++) line[i] = src[base + Math.min(w - 1, Math.max(0, i - r)) * step]!;
      for (let i = 0; i < line.length; i++)
        prefix[i] = i % size === 0 ? line[i]! : pick(prefix[i - 1]!, line[i]!);
      for (let i = line.length - 1; i >= 0; i--)
        suffix[i] = i === line.length - 1 || (i + 1) % size === 0 ? line[i]! : pick(suffix[i + 1]!, line[i]!);
      for (let i = 0; i < w; i++) out[base + i * step] = pick(suffix[i]!, prefix[i + 2 * r]!);
    }
    return out;
  };
  const rows = pass(mask.data, width, height, width, 1);
  return { data: pass(rows, height, width, 1, width), width, height };
}

/** Mean over a (2r+1)² square, edges clamped. */
export function boxBlur(mask: Mask, radius: number): Mask {
  const { width, height } = mask;
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return mask;
  const size = 2 * r + 1;
  const pass = (
    src: ArrayLike<number>,
    dst: Float32Array,
    w: number,
    h: number,
    stride: number,
    step: number,
  ) => {
    for (let j = 0; j < h; j++) {
      const base = j * stride;
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += src[base + Math.min(w - 1, Math.max(0, k)) * step]!;
      for (let i = 0; i < w; i++) {
        dst[base + i * step] = sum / size;
        const add = i + r + 1 < w ? i + r + 1 : w - 1;
        const drop = i - r > 0 ? i - r : 0;
        sum += src[base + add * step]! - src[base + drop * step]!;
      }
    }
  };
  const rows = new Float32Array(width * height);
  const cols = new Float32Array(width * height);
  pass(mask.data, rows, width, height, width, 1);
  pass(rows, cols, height, width, 1, width);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(cols[i]!);
  return { data, width, height };
}
