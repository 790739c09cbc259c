/** Small timing helpers for `kiosk bench`: repeat a task, report percentiles in milliseconds. */
export interface Timing {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export async function timeRuns(
  runs: number,
  task: (i: number) => Promise<unknown> | unknown,
): Promise<Timing> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task(i);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number): number => round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!);
  return { runs, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: round(ms[ms.length - 1]!) };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Peak resident memory of this process so far, in MiB (Linux reports maxRSS in KiB). */
export function peakRssMiB(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}
