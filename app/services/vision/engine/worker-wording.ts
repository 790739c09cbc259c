/** How the face-analysis worker words what it reports: errors in one line, timings to 0.1 ms. */

export const round1 = (v: number): number => Math.round(v * 10) / 10;

/** An error's message cut to its first line: every answer and report carries one line. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}
