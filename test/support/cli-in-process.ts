/** `kiosk …` run in this process through the CLI's `main`, on a given data directory. */
import { main } from '../../app/cli/main.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cliOn(dataDir: string, args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--data-dir', dataDir], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
