// ESLint flat config: typescript-eslint's recommended rules with type information, so promises
// that nobody awaits or handles are caught, and the layering rule (imports go down the layers
// only; `npm run deps` checks the whole graph, circles included, with dependency-cruiser).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Each layer and what it must not import (paths from the repo root). */
const layers = [
  {
    target: './core',
    from: ['./app', './hardware', './config', './flows'],
    message: 'core/ imports only core/.',
  },
  {
    target: './hardware',
    from: ['./app', './config', './flows'],
    message: 'a device knows its port, its wire and core/, never the booth, its config or its flow.',
  },
  { target: './config', from: ['./app', './flows'], message: 'config/ never reaches the booth or its flow.' },
  {
    target: './flows',
    from: ['./app', './hardware', './config'],
    message: 'the machines are pure: they see services through provide(), never a device or a service.',
  },
  ...['./app/services', './app/money', './app/logging'].map((target) => ({
    target,
    from: [
      './app/booth',
      './app/host',
      './app/shell',
      './app/cli',
      './app/simulate',
      './app/bench',
      './app/renderer',
    ],
    message: 'services serve the booth; they never import it.',
  })),
  {
    target: './app/booth',
    from: ['./app/host', './app/shell', './app/cli', './app/simulate', './app/bench', './app/renderer'],
    message: 'the booth knows neither the host that wires it nor the shell that shows it.',
  },
  {
    target: './app/renderer',
    from: [
      './app/booth',
      './app/host',
      './app/cli',
      './app/simulate',
      './app/services',
      './app/money',
      './hardware',
      './core',
    ],
    message: 'the renderer runs in the browser: the bridge contract (types) and the translations only.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'test-artifacts/', '.kiosk-data/', 'dist/', '.scratch/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        // vite.config.ts is outside both tsconfigs (it configures the renderer's build).
        projectService: { allowDefaultProject: ['app/renderer/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      'import-x/no-restricted-paths': ['error', { zones: layers }],
    },
  },
  {
    // Tests may start a promise with `void` and observe it later (a gate, a clock that runs until done).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The renderer runs in the browser (Chromium or Electron), not in Node.
    files: ['app/renderer/**/*.{ts,tsx}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        performance: 'readonly',
        WebSocket: 'readonly',
        MessageEvent: 'readonly',
        KeyboardEvent: 'readonly',
        PointerEvent: 'readonly',
        HTMLElement: 'readonly',
        HTMLButtonElement: 'readonly',
        HTMLDivElement: 'readonly',
        Location: 'readonly',
        URLSearchParams: 'readonly',
        speechSynthesis: 'readonly',
        SpeechSynthesisUtterance: 'readonly',
        AudioContext: 'readonly',
        requestAnimationFrame: 'readonly',
        cancelAnimationFrame: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Intl: 'readonly',
      },
    },
  },
);
