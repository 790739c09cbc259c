// Measuring tools for tests of produced ID photos: decoding, CIE L*a*b* colour distance, region
// statistics, the JFIF density header, and the face's landmarks re-measured on a photo. They are
// written here on purpose rather than imported from the app, so a test measures the product
// independently of the code that made it.
import sharp from 'sharp';
import type { AnalysedFace } from '../../app/services/vision/engine/face-engine.ts';

export type Rgb = readonly [number, number, number];

export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** An encoded image as 8-bit sRGB, three bytes a pixel. */
export async function decodeRgb(encoded: Buffer): Promise<RawImage> {
  const { data, info } = await sharp(encoded)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function hexRgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export const pixelAt = (img: RawImage, x: number, y: number): Rgb => {
  const i = (y * img.width + x) * 3;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
};

/** sRGB (D65) to CIE L*a*b*. */
export function lab([r, g, b]: Rgb): Rgb {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [lr, lg, lb] = [lin(r), lin(g), lin(b)];
  const x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
  const y = 0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb;
  const z = (0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / 1.08883;
  const f = (t: number) => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference of two sRGB colours. */
export function deltaE(a: Rgb, b: Rgb): number {
  const [la, aa, ba] = lab(a);
  const [lb, ab, bb] = lab(b);
  return Math.hypot(la - lb, aa - ab, ba - bb);
}

export interface RegionStats {
  readonly mean: Rgb;
  /** Standard deviation of each pixel's ΔE from the region's mean colour. */
  readonly spread: number;
  readonly count: number;
}

/** Mean colour and spread of the pixels `select` picks (all pixels of the rectangle by default). */
export function regionStats(
  img: RawImage,
  rect: { left: number; top: number; width: number; height: number },
  select: (x: number, y: number) => boolean = () => true,
): RegionStats {
  const sum = [0, 0, 0];
  const picked: Rgb[] = [];
  for (let y = rect.top; y < rect.top + rect.height; y++) {
    for (let x = rect.left; x < rect.left + rect.width; x++) {
      if (!select(x, y)) continue;
      const p = pixelAt(img, x, y);
      picked.push(p);
      for (let c = 0; c < 3; c++) sum[c] = sum[c]! + p[c]!;
    }
  }
  const n = Math.max(1, picked.length);
  const mean: Rgb = [sum[0]! / n, sum[1]! / n, sum[2]! / n];
  const spread = Math.sqrt(picked.reduce((s, p) => s + deltaE(p, mean) ** 2, 0) / n);
  return { mean, spread, count: picked.length };
}

/**
 * The JFIF APP0 header's density, when the JPEG has one (printer drivers read it). Walks the
 * markers from the start of the file to the first scan.
 */
export function jfifDensity(jpeg: Buffer): { unit: number; x: number; y: number } | null {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xda) break; // start of scan: no more headers
    if (marker === 0xe0 && jpeg.toString('latin1', at + 4, at + 9) === 'JFIF\0') {
      return { unit: jpeg[at + 11]!, x: jpeg.readUInt16BE(at + 12), y: jpeg.readUInt16BE(at + 14) };
    }
    at += 2 + length;
  }
  return null;
}

/** MediaPipe mesh indices this file reads (see `MESH` in face-engine.ts). */
const MESH_CHIN = 152;
const MESH_RIGHT_CHEEK_EDGE = 234;
const MESH_LEFT_CHEEK_EDGE = 454;
/** Iris centres: the person's left iris is 468..472, the right 473..477 (centre first). */
const IRIS_CENTRES = [468, 473] as const;

/**
 * The crown the producer assumes without a mask is 1.05 eye-to-chin distances above the eye line,
 * so chin to crown is 2.05 of them.
 */
export const HEAD_OVER_EYE_TO_CHIN = 2.05;

export interface FaceOnPhoto {
  /** Iris centres' mean height, px from the top. */
  readonly eyeY: number;
  /** Angle of the line through the iris centres, degrees (0 = level). */
  readonly eyeLineDeg: number;
  readonly chin: readonly [number, number];
  /** Half-way between the cheek edges, px from the left. */
  readonly centreX: number;
  /** Cheek edge to cheek edge, px. */
  readonly faceWidth: number;
}

/** Landmarks of a face analysed on a produced photo, in the photo's pixels. */
export function faceOnPhoto(face: AnalysedFace): FaceOnPhoto {
  const point = (i: number) => {
    const p = face.mesh[i];
    if (!p) throw new Error(`the face mesh has no point ${i} (${face.mesh.length} points)`);
    return p;
  };
  const [a, b] = IRIS_CENTRES.map(point) as [ReturnType<typeof point>, ReturnType<typeof point>];
  // Left-to-right in the image, whichever iris that is.
  const [l, r] = a[0] <= b[0] ? [a, b] : [b, a];
  return {
    eyeY: (l[1] + r[1]) / 2,
    eyeLineDeg: (Math.atan2(r[1] - l[1], r[0] - l[0]) * 180) / Math.PI,
    chin: [point(MESH_CHIN)[0], point(MESH_CHIN)[1]],
    centreX: (point(MESH_RIGHT_CHEEK_EDGE)[0] + point(MESH_LEFT_CHEEK_EDGE)[0]) / 2,
    faceWidth: Math.abs(point(MESH_LEFT_CHEEK_EDGE)[0] - point(MESH_RIGHT_CHEEK_EDGE)[0]),
  };
}

/**
 * Pixels outside a person mask (alpha < `edge`) but at most `band` px (chessboard distance) from
 * it: the ring right around the person, where a halo of the old backdrop would sit. Only rows
 * above `maxRow`.
 */
export function ringOutside(
  alpha: Uint8Array,
  width: number,
  height: number,
  band: number,
  maxRow = height,
  edge = 26,
): (x: number, y: number) => boolean {
  // Distance to the nearest pixel at or above the edge, by two separable passes (capped at band + 1).
  const cap = band + 1;
  const rowDist = new Uint16Array(width * height).fill(cap);
  for (let y = 0; y < height; y++) {
    let last = -Infinity;
    for (let x = 0; x < width; x++) {
      if (alpha[y * width + x]! >= edge) last = x;
      rowDist[y * width + x] = Math.min(cap, x - last);
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (alpha[y * width + x]! >= edge) last = x;
      rowDist[y * width + x] = Math.min(rowDist[y * width + x]!, cap, last - x);
    }
  }
  const dist = new Uint16Array(width * height).fill(cap);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      let best = cap;
      for (let dy = -band; dy <= band && best > 0; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        best = Math.min(best, Math.max(Math.abs(dy), rowDist[yy * width + x]!));
      }
      dist[y * width + x] = best;
    }
  }
  return (x, y) => {
    const i = y * width + x;
    return y < maxRow && alpha[i]! < edge && dist[i]! >= 1 && dist[i]! <= band;
  };
}
