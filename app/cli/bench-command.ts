import { runBench } from '../bench/run-bench.ts';
import type { CliIO } from './cli-io.ts';

/** Prints one JSON line per figure; exits 1 when any figure misses its target. */
export async function runBenchCommand(
  options: { sessions?: number; soak?: number },
  io: CliIO,
): Promise<number> {
  const figures = await runBench(options);
  for (const f of figures) io.out(JSON.stringify(f));
  const missed = figures.filter((f) => !f.ok);
  if (missed.length > 0) {
    io.err(
      `kiosk bench: missed ${missed.map((f) => `${f.name} (${f.value} ${f.unit}, target ${f.target})`).join('; ')}`,
    );
    return 1;
  }
  return 0;
}
