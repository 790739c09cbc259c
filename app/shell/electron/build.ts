/**
 * Bundles the Electron shell: dist/electron/main.cjs and dist/electron/preload.cjs (CommonJS,
 * for Node in Electron; `electron` itself stays external). Run: `tsx app/shell/electron/build.ts`.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'app/shell/electron/main.ts',
    preload: 'app/shell/electron/preload.ts',
  },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ws's optional native speed-ups are not needed (and not installed).
  external: ['electron', 'bufferutil', 'utf-8-validate'],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'info',
});
