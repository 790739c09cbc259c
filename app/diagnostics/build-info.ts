import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface BuildInfo {
  version: string;
  /** The checkout's commit (short), null outside a git checkout. */
  commit: string | null;
  node: string;
}

let cached: BuildInfo | null = null;

/** The package's version and commit, read once (git is asked at most once per process). */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], {
      encoding: 'utf8',
      timeout: 3_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // An installed booth has no checkout.
  }
  cached = { version, commit, node: process.version };
  return cached;
}
