import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliIO } from './cli-io.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `kiosk --version`: the package's version and, from a git checkout, the commit. No booth needed. */
export function runVersion(io: CliIO): number {
  const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  io.out(`kiosk ${version} (commit ${commit() ?? 'unknown'})`);
  return 0;
}

/** The checkout's commit, with `+changes` when files differ from it; null outside a git checkout. */
function commit(): string | null {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      timeout: 3_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    const head = git('rev-parse', '--short=12', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return null;
  }
}
