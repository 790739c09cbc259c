import { missedLines } from '../bench/bench-figure.ts';
import { BENCH_PARTS, runBench, type BenchOptions } from '../bench/run-bench.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

/** `--only PART`: a part of the bench by itself (see `BENCH_PARTS`). */
export function benchPart(raw: string | undefined): BenchOptions['only'] {
  if (raw === undefined) return undefined;
  const part = BENCH_PARTS.find((p) => p === raw);
  if (!part) throw new UsageError(`--only must be one of ${BENCH_PARTS.join(', ')}, not "${raw}"`);
  return part;
}

/**
 * Prints one JSON line per figure; exits 1 when any figure misses its target or could not be
 * measured where it should be. A skipped figure (`{ name, skipped }`: no virtual camera here)
 * is neither.
 */
export async function runBenchCommand(
  options: Pick<BenchOptions, 'sessions' | 'soak' | 'only'>,
  io: CliIO,
): Promise<number> {
  const figures = await runBench(options);
  for (const f of figures) io.out(JSON.stringify(f));
  const missed = missedLines(figures);
  if (missed.length > 0) {
    const said = missed.map((f) =>
      'error' in f ? `${f.name} (${f.error})` : `${f.name} (${f.value} ${f.unit}, target ${f.target})`,
    );
    io.err(`kiosk bench: missed ${said.join('; ')}`);
    return 1;
  }
  return 0;
}
