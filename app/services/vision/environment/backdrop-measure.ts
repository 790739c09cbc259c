import type { StillPixels } from '../checks/still-pixels.ts';

export interface BackdropMeasure {
  /** Mean luma of the backdrop, 0..255. */
  readonly brightness: number;
  /** Mean colour, sRGB 0..255. */
  readonly colour: readonly [r: number, g: number, b: number];
  /** Brightest minus darkest cell of an 8x8 grid, over the mean: shadows, a dirty patch, a dead lamp. */
  readonly unevenness: number;
  /** Mean luma of the right half over the left half: one of two side lamps failing. */
  readonly leftRightRatio: number;
}

const grid = 8;

/**
 * Measures the empty booth's backdrop from a frame with nobody in it. The whole frame is the
 * backdrop (the booth's camera looks at it), so every pixel counts.
 */
export function measureBackdrop(pixels: StillPixels): BackdropMeasure {
  const { width, height, rgb, luma } = pixels;
  const cells = new Float64Array(grid * grid);
  const counts = new Float64Array(grid * grid);
  let sum = 0;
  let left = 0;
  let right = 0;
  const colour = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const row = Math.min(grid - 1, Math.floor((y * grid) / height));
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = luma[i]!;
      sum += v;
      if (x < width / 2) left += v;
      else right += v;
      const cell = row * grid + Math.min(grid - 1, Math.floor((x * grid) / width));
      cells[cell]! += v;
      counts[cell]! += 1;
      colour[0]! += rgb[i * 3]!;
      colour[1]! += rgb[i * 3 + 1]!;
      colour[2]! += rgb[i * 3 + 2]!;
    }
  }
  const n = width * height;
  const mean = sum / n;
  const means = [...cells].map((c, i) => c / counts[i]!);
  return {
    brightness: mean,
    colour: [colour[0]! / n, colour[1]! / n, colour[2]! / n],
    unevenness: mean > 0 ? (Math.max(...means) - Math.min(...means)) / mean : 1,
    leftRightRatio: left > 0 ? right / left : Number.POSITIVE_INFINITY,
  };
}
