import { missedLines } from '../bench/bench-figure.ts';
import { runBench } from '../bench/run-bench.ts';
import type { CliIO } from './cli-io.ts';

/**
 * Prints one JSON line per figure; exits 1 when any figure misses its target or could not be
 * measured where it should be. A skipped figure (`{ name, skipped }`: no virtual camera here)
 * is neither.
 */
export async function runBenchCommand(
  options: { sessions?: number; soak?: number },
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
