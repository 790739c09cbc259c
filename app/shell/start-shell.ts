import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging/logger.ts';
import { BrowserShell } from './browser/browser-shell.ts';
import { ChromiumWindow, chromiumDecision } from './browser/chromium.ts';
import { ScreenWatchdog } from './browser/screen-watchdog.ts';
import { electronBinary, ElectronProcess } from './electron/launcher.ts';
import type { BoothUi } from './bridge/ui-publisher.ts';

export type ShellKind = 'browser' | 'electron' | 'none';
export const shellKinds: readonly ShellKind[] = ['browser', 'electron', 'none'];

const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));
export const rendererDir = distDir + 'renderer';
export const electronMainScript = distDir + 'electron/main.cjs';

/**
 * The shell when `--shell` is not given: Electron when its binary is installed, else the
 * browser. `--autoplay` (the scripted demo, watched in the logs) stays headless as it always was.
 */
export function defaultShell(options: { autoplay: boolean; binary: string | null }): ShellKind {
  if (options.autoplay) return 'none';
  return options.binary ? 'electron' : 'browser';
}

export interface RunningShell {
  stop(): Promise<void>;
}

/**
 * Starts the screen: the bridge server (both shells use it), then Chromium or Electron on it.
 * Prints `kiosk ui: <url>` on its own stdout line.
 */
export async function startShell(options: {
  kind: ShellKind;
  ui: BoothUi;
  logger: Logger;
  out: (line: string) => void;
  port?: number;
  noBrowser?: boolean;
  env?: NodeJS.ProcessEnv;
}): Promise<RunningShell> {
  const { kind, ui, logger } = options;
  const env = options.env ?? process.env;
  if (kind === 'none') return { stop: async () => {} };
  let binary: string | null = null;
  if (kind === 'electron') {
    binary = electronBinary(env);
    if (!binary)
      throw new Error(
        'the Electron binary is not installed (the electron package is missing or its download did not run); see app/shell/README.md, or use --shell browser',
      );
    if (!existsSync(electronMainScript))
      throw new Error(`${electronMainScript} is missing; run \`npm run build\` first`);
  }
  const server = await BrowserShell.start({ ui, logger, rendererDir, port: options.port });
  options.out(`kiosk ui: ${server.url}`);
  logger.info({ shell: kind, port: server.port }, 'kiosk ui serving');
  let window: { stop(): Promise<void> } | null = null;
  // A window that cannot start (no temp dir, a spawn that throws) must not leave the server
  // running with nobody to stop it: the process would hang instead of exiting with the reason.
  try {
    if (kind === 'electron') {
      const electron = new ElectronProcess({
        binary: binary!,
        mainScript: electronMainScript,
        shell: { bridgeUrl: server.bridgeUrl, key: server.secret, origin: server.origin, rendererDir },
        logger,
      });
      electron.start();
      window = electron;
    } else {
      const decision = chromiumDecision({ noBrowser: options.noBrowser ?? false, env });
      if (decision.launch) {
        // A page that crashed (and so never reconnects) gets its window restarted.
        const watchdog = new ScreenWatchdog({ restart: (reason) => chromium.restart(reason), logger });
        const chromium = new ChromiumWindow({
          binary: decision.binary,
          url: server.url,
          logger,
          onStart: () => watchdog.windowStarted(),
        });
        const offClients = server.onClients((clients) => watchdog.clientsChanged(clients));
        chromium.start();
        window = {
          stop: async () => {
            watchdog.stop();
            offClients();
            await chromium.stop();
          },
        };
      } else if (decision.reason === 'no-display') {
        logger.info('no display found (DISPLAY, WAYLAND_DISPLAY); serving the kiosk ui only');
      } else if (decision.reason === 'no-chromium') {
        logger.info('chromium not found; serving the kiosk ui only');
      }
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    stop: async () => {
      await window?.stop();
      await server.stop();
    },
  };
}
