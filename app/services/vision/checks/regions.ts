/**
 * Regions of the still and the statistics the checks take over them: the luma values inside a
 * polygon and their percentiles.
 */
import type { Pt } from './face-geometry.ts';
import type { StillPixels } from './still-pixels.ts';

/** The luma values of the decoded pixels whose centres lie inside a polygon given in image pixels. */
export function lumaInPolygon(pixels: StillPixels, polygon: readonly Pt[]): Uint8Array {
  const out: number[] = [];
  forEachPixelInPolygon(pixels, polygon, (i) => out.push(pixels.luma[i]!));
  return Uint8Array.from(out);
}

/**
 * Calls `visit` with the index (row by row, `y * width + x`) of every decoded pixel whose centre
 * lies inside a polygon given in image pixels (scan lines: each row's crossings with the edges).
 */
export function forEachPixelInPolygon(
  pixels: StillPixels,
  polygon: readonly Pt[],
  visit: (index: number) => void,
): void {
  const s = pixels.scale;
  const poly = polygon.map(([x, y]): Pt => [x * s, y * s]);
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [, y] of poly) {
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const y0 = Math.max(0, Math.ceil(minY - 0.5));
  const y1 = Math.min(pixels.height - 1, Math.floor(maxY - 0.5));
  const crossings: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i]!;
      const [xj, yj] = poly[j]!;
      if (yi > cy !== yj > cy) crossings.push(xi + ((cy - yi) / (yj - yi)) * (xj - xi));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const xa = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const xb = Math.min(pixels.width - 1, Math.floor(crossings[k + 1]! - 0.5));
      for (let x = xa; x <= xb; x++) visit(y * pixels.width + x);
    }
  }
}

/** A square of half-size `half` around `centre`, turned like the face (`ex` along the eye line). */
export function orientedSquare(centre: Pt, half: number, ex: Pt): Pt[] {
  const ey: Pt = [-ex[1], ex[0]];
  const corner = (a: number, b: number): Pt => [
    centre[0] + a * half * ex[0] + b * half * ey[0],
    centre[1] + a * half * ex[1] + b * half * ey[1],
  ];
  return [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)];
}

/** The p-th percentile (0..1) of byte values, by counting. NaN for no values. */
export function percentile(values: Uint8Array, p: number): number {
  if (values.length === 0) return Number.NaN;
  const counts = new Uint32Array(256);
  for (const v of values) counts[v]!++;
  const rank = Math.min(values.length - 1, Math.max(0, Math.floor(p * values.length)));
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += counts[v]!;
    if (seen > rank) return v;
  }
  return 255;
}
