import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * How to run a script of the booth's in a `node` child process, from a clone (TypeScript run
 * through tsx, as bin/kiosk.js does) and from a built or installed layout (plain .js).
 *
 * A .ts script gets `--import <tsx's loader>` with the loader's absolute URL: a bare
 * `--import tsx` is resolved from the working directory, which for an installed booth (a
 * systemd unit, a technician's shell) is not the package's. A .js script runs as it is.
 * Node is this process's own binary (`process.execPath`), so the child runs on the same Node.
 */
export function nodeChildCommand(script: URL | string): { command: string; args: string[] } {
  const path = typeof script === 'string' ? script : fileURLToPath(script);
  if (extname(path) !== '.ts' && extname(path) !== '.mts') return { command: process.execPath, args: [path] };
  return { command: process.execPath, args: ['--import', tsxLoader(), path] };
}

let loader: string | undefined;

/** tsx's ESM loader (its package's "." export), as a file URL. */
function tsxLoader(): string {
  if (loader) return loader;
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exportsMap = (require(manifest) as { exports: Record<string, unknown> }).exports;
  const main = exportsMap['.'];
  const file = typeof main === 'string' ? main : './dist/loader.mjs';
  loader = pathToFileURL(join(dirname(manifest), file)).href;
  return loader;
}
