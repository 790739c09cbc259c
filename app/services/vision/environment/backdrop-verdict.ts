import type { BackdropMeasure } from './backdrop-measure.ts';

export interface BackdropLimits {
  /** The backdrop's colour as installed, `#rrggbb`. */
  readonly colour: string;
  /** Largest distance (sRGB units) of the measured colour from `colour`. */
  readonly maxColourDistance: number;
  /** Brightness range (mean luma) of a well-lit backdrop. */
  readonly brightness: readonly [min: number, max: number];
  /** Largest unevenness that still makes good photos (a warning above it). */
  readonly maxUnevenness: number;
  /** Unevenness past which no photo can pass: the booth goes out of service. */
  readonly outOfServiceUnevenness: number;
  /** Largest imbalance between the halves (ratio either way) before a lamp counts as failed. */
  readonly maxLeftRightRatio: number;
}

export interface BackdropVerdict {
  /** False puts the booth out of service (no photo could pass). */
  readonly ready: boolean;
  /** Problems, most serious first: `backdrop-dark`, `lamp-failed`, `backdrop-uneven`, ... */
  readonly reasons: readonly string[];
}

/** Judges a backdrop measure against the unit's limits. */
export function judgeBackdrop(m: BackdropMeasure, limits: BackdropLimits): BackdropVerdict {
  const blocking: string[] = [];
  const warnings: string[] = [];
  const [min, max] = limits.brightness;
  if (m.brightness < min) blocking.push('backdrop-dark');
  if (m.brightness > max) warnings.push('backdrop-overexposed');
  const ratio = Math.max(m.leftRightRatio, 1 / m.leftRightRatio);
  if (ratio > limits.maxLeftRightRatio) blocking.push('lamp-failed');
  if (m.unevenness > limits.outOfServiceUnevenness) blocking.push('backdrop-uneven');
  else if (m.unevenness > limits.maxUnevenness) warnings.push('backdrop-uneven');
  if (colourDistance(m.colour, limits.colour) > limits.maxColourDistance) warnings.push('backdrop-colour');
  return { ready: blocking.length === 0, reasons: [...blocking, ...warnings] };
}

export function colourDistance(colour: readonly number[], hex: string): number {
  const want = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return Math.hypot(colour[0]! - want[0]!, colour[1]! - want[1]!, colour[2]! - want[2]!);
}
