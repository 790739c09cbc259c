import type { Timing } from './measure.ts';

/** A figure with the target it is held to. `ok` is false when the target is missed. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target: string;
  ok: boolean;
  detail?: Timing | Record<string, unknown>;
}

/**
 * A figure this machine cannot measure (the virtual camera is not built, node-gphoto2 is
 * missing): held to no target, so neither passed nor missed. `skipped` says why.
 */
export interface SkippedFigure {
  name: string;
  skipped: string;
}

/** A figure whose measurement broke (the camera failed where it should work): a miss. */
export interface FailedFigure {
  name: string;
  ok: false;
  error: string;
}

/** One line of `kiosk bench`. */
export type BenchLine = BenchFigure | SkippedFigure | FailedFigure;

export const atMost = (value: number, limit: number) => ({ target: `<= ${limit}`, ok: value <= limit });
export const atLeast = (value: number, limit: number) => ({ target: `>= ${limit}`, ok: value >= limit });

/** The lines that miss their target (or could not be measured where they should be). */
export function missedLines(lines: readonly BenchLine[]): (BenchFigure | FailedFigure)[] {
  return lines.filter((l): l is BenchFigure | FailedFigure => 'ok' in l && !l.ok);
}
