import { join } from 'node:path';
import type { BridgeServerMessage, UiSnapshot } from '../bridge/kiosk-api.ts';
import { bridgeChannels } from '../bridge/kiosk-api.ts';
import type { ElectronBrowserWindow, ElectronMainApi } from './electron-api.ts';
import {
  checkIpcEvent,
  hardenContents,
  hardenSession,
  keepAlive,
  singleInstance,
  windowOptions,
} from './harden-window.ts';

/** What `kiosk start --shell electron` hands the Electron main process through its environment. */
export interface ElectronShellEnv {
  /** `ws://127.0.0.1:PORT/bridge` */
  bridgeUrl: string;
  /** This start's bridge secret. */
  key: string;
  /** `http://127.0.0.1:PORT`: the Origin the bridge accepts. */
  origin: string;
  /** The renderer's build (`dist/renderer`), loaded from files. */
  rendererDir: string;
}

export const shellEnvNames = {
  bridgeUrl: 'KIOSK_BRIDGE_URL',
  key: 'KIOSK_BRIDGE_KEY',
  origin: 'KIOSK_BRIDGE_ORIGIN',
  rendererDir: 'KIOSK_RENDERER_DIR',
} as const satisfies Record<keyof ElectronShellEnv, string>;

/** Reads the shell's settings and removes the secret from the environment (children never see it). */
export function takeShellEnv(env: NodeJS.ProcessEnv): ElectronShellEnv {
  const out = {} as ElectronShellEnv;
  for (const [field, name] of Object.entries(shellEnvNames) as [keyof ElectronShellEnv, string][]) {
    const value = env[name];
    if (!value)
      throw new Error(`${name} is not set: start the Electron shell with \`kiosk start --shell electron\``);
    out[field] = value;
  }
  delete env[shellEnvNames.key];
  return out;
}

/** The bit of a WebSocket client the relay needs (`ws`'s WebSocket fits). */
export interface BridgeSocket {
  on(event: 'open' | 'close', listener: () => void): unknown;
  on(event: 'message', listener: (data: { toString(): string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  send(data: string): void;
  close(): void;
  readonly readyState: number;
}

export type ConnectBridge = (url: string, origin: string) => BridgeSocket;

/**
 * The Electron main process: it does not run the booth. It shows the renderer's files in one
 * hardened kiosk window and relays between the booth's WebSocket bridge (as a client, with the
 * secret and the served origin) and the renderer (IPC on `bridgeChannels`).
 */
export function runElectronMain(
  electron: ElectronMainApi,
  options: {
    shell: ElectronShellEnv;
    env: NodeJS.ProcessEnv;
    preload: string;
    connect: ConnectBridge;
    log?: (line: string) => void;
  },
): void {
  const { app, BrowserWindow, ipcMain, session, powerSaveBlocker } = electron;
  const log = options.log ?? ((line: string) => process.stderr.write(`kiosk electron: ${line}\n`));
  if (!singleInstance(app)) return;
  const { shell } = options;

  let window: ElectronBrowserWindow | null = null;
  let latest: UiSnapshot | null = null;
  const toWindow = (channel: string, payload: unknown) => {
    if (window && !window.isDestroyed() && !window.webContents.isDestroyed())
      window.webContents.send(channel, payload);
  };

  // Every web contents the app ever creates gets the same rules, not just the kiosk window.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, shell.rendererDir));
  app.on('window-all-closed', () => app.quit());

  // The booth's bridge: snapshots and frames in, events out; reconnects while the booth restarts.
  let socket: BridgeSocket | null = null;
  let retryMs = 250;
  const connect = () => {
    const ws = options.connect(`${shell.bridgeUrl}?key=${encodeURIComponent(shell.key)}`, shell.origin);
    socket = ws;
    ws.on('open', () => {
      retryMs = 250;
      log('bridge connected');
    });
    ws.on('message', (data) => {
      let message: BridgeServerMessage;
      try {
        message = JSON.parse(data.toString()) as BridgeServerMessage;
      } catch {
        return;
      }
      // Valid JSON that is not a message (null, a number) is ignored like invalid JSON.
      if (typeof message !== 'object' || message === null) return;
      if (message.kind === 'snapshot') {
        latest = message.snapshot;
        toWindow(bridgeChannels.snapshot, message.snapshot);
      } else if (message.kind === 'frame') toWindow(bridgeChannels.frame, message.frame);
    });
    ws.on('error', (error) => log(`bridge error: ${error.message}`));
    ws.on('close', () => {
      if (socket !== ws) return;
      socket = null;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    });
  };
  connect();

  ipcMain.on(bridgeChannels.event, (event, raw) => {
    const message = checkIpcEvent(event, raw, (sender) => window !== null && sender === window.webContents);
    if (message && socket && socket.readyState === 1) socket.send(JSON.stringify(message));
  });

  void app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession);
      powerSaveBlocker.start('prevent-display-sleep');
      window = new BrowserWindow(windowOptions({ preload: options.preload, env: options.env }));
      const contents = window.webContents;
      hardenContents(contents, shell.rendererDir);
      keepAlive(contents, log);
      // A reloaded page gets the present at once.
      contents.on('did-finish-load', () => {
        if (latest) toWindow(bridgeChannels.snapshot, latest);
      });
      window.once('ready-to-show', () => window?.show());
      await window.loadFile(join(shell.rendererDir, 'index.html'));
    })
    .catch((error: Error) => log(`window failed to load: ${error.message}`));
}
