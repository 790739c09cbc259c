// Vite config for the kiosk renderer: React through Vite's built-in JSX transform (no plugin).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: { outDir, emptyOutDir: true, target: 'es2022' },
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
});
