/**
 * The import graph `npm run deps` checks (in `npm test`): no import circle, and every import
 * goes down the layers — core ← hardware ← config ← flows ← services (app/services, app/money,
 * app/logging, app/operator) ← app/booth ← the top (app/host, app/shell, app/cli, app/simulate, app/bench).
 * The renderer (browser code) reaches only the bridge's contract and the translations.
 * Type-only imports count: a type is a dependency too.
 */
const layer = (name, from, notTo, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: notTo },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'An import circle: two modules that need each other belong together, or one of them is in the wrong layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer(
      'core-imports-only-core',
      '^core/',
      '^(app|hardware|config|flows|bin|scripts)/',
      'core/ is what every layer uses: it uses nothing above it.',
    ),
    layer(
      'hardware-imports-no-app',
      '^hardware/',
      '^(app|config|flows|bin|scripts)/',
      'A device knows its port, its wire and core; never the booth, its config file or its flow.',
    ),
    layer(
      'config-imports-no-app',
      '^config/',
      '^(app|flows|bin|scripts)/',
      'config/ composes the device schemas; it never reaches the booth or its flow.',
    ),
    layer(
      'flows-see-no-devices',
      '^flows/',
      '^(app|hardware|config|bin|scripts)/',
      'The machines are pure: they see services through provide(), never a device or a service.',
    ),
    layer(
      'services-import-no-booth',
      '^app/(services|money|logging|operator)/',
      '^(app/(booth|host|shell|cli|simulate|bench|renderer)/|bin/|scripts/)',
      'Services serve the booth; they never import it.',
    ),
    layer(
      'booth-imports-no-top',
      '^app/booth/',
      '^(app/(host|shell|cli|simulate|bench|renderer)/|bin/|scripts/)',
      'The booth is wired by the host, shown by the shell and driven by the CLI; it knows none of them.',
    ),
    {
      name: 'renderer-sees-the-bridge-only',
      comment:
        'The renderer runs in the browser: only its own code, the bridge contract (types) and the translations.',
      severity: 'error',
      from: { path: '^app/renderer/' },
      to: {
        path: '^(app|hardware|config|flows|core)/',
        pathNot:
          '^(app/renderer/|app/shell/bridge/kiosk-api\\.ts$|config/translations/|flows/session/(events|screens)\\.ts$)',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
