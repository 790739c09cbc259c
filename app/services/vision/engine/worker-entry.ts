/** How the engine's worker threads are started, under tsx (the kiosk, vitest) or compiled. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const ext = path.extname(here); // .ts under tsx/vitest, .js if ever compiled

/**
 * A worker's code and how to start it, for the worker whose TypeScript entry is `entry` (a file
 * beside this one). Under tsx the worker is TypeScript: Node 20 does not apply `--import tsx`
 * from a worker's execArgv to the worker's own entry, so a two-line bootstrap registers tsx's ESM
 * hooks inside the worker and then imports the entry. Compiled, the entry's `.js` runs as it is.
 */
export function workerEntry(entry: URL): { script: URL | string; eval: boolean } {
  const file = new URL(entry.href.replace(/\.ts$/, ext));
  if (ext !== '.ts') return { script: file, eval: false };
  const require = createRequire(import.meta.url);
  const tsxPackage = require.resolve('tsx/package.json');
  const exportsMap = (require(tsxPackage) as { exports: Record<string, { import?: { default?: string } }> })
    .exports;
  const api = pathToFileURL(
    path.join(path.dirname(tsxPackage), exportsMap['./esm/api']?.import?.default ?? ''),
  ).href;
  const script = [
    `import(${JSON.stringify(api)})`,
    `.then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`,
    `.catch((error) => { console.error(error); process.exit(70); });`,
  ].join('');
  return { script, eval: true };
}
