import { fileURLToPath } from 'node:url';
import { resolve, sep } from 'node:path';
import type { BridgeClientMessage } from '../bridge/kiosk-api.ts';
import { parseClientMessage } from '../bridge/ui-event-schema.ts';
import type {
  BrowserWindowOptions,
  ElectronApp,
  ElectronSession,
  ElectronWebContents,
  IpcMainEvent,
} from './electron-api.ts';

/**
 * The Electron shell's hardening, as pure functions over an injected Electron-like API so every
 * rule is unit-tested without the Electron binary. `main.ts` applies them to the real thing.
 */

/** DevTools only for a developer who asks (`KIOSK_DEV=1`). */
export function devToolsAllowed(env: NodeJS.ProcessEnv): boolean {
  return env.KIOSK_DEV === '1';
}

/** The kiosk window: full screen, no frame, and a renderer with no Node and no way out of its sandbox. */
export function windowOptions(options: { preload: string; env: NodeJS.ProcessEnv }): BrowserWindowOptions {
  return {
    fullscreen: true,
    kiosk: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: '#000000',
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: devToolsAllowed(options.env),
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}

/** The renderer's CSP in Electron: its own files, inline styles, data: images, no network at all. */
export const electronCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** CSP on every response; every permission (camera, notifications, …) refused, asked or checked. */
export function hardenSession(session: ElectronSession, csp = electronCsp): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Whether a URL is a file inside the renderer's build directory. */
export function isRendererFile(url: string, rendererDir: string): boolean {
  let path: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
    path = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const root = resolve(rendererDir);
  return resolve(path).startsWith(root + sep);
}

/**
 * Any web contents (the window, and anything it might try to create): no navigation or redirect
 * away from the renderer's files, no new windows, no webviews.
 */
export function hardenContents(contents: ElectronWebContents, rendererDir: string): void {
  const stayInside = (event: { preventDefault(): void }, url: string) => {
    if (!isRendererFile(url, rendererDir)) event.preventDefault();
  };
  contents.on('will-navigate', stayInside);
  contents.on('will-redirect', stayInside);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** A kiosk screen never stays dead: a crashed or hung renderer is reloaded. */
export function keepAlive(contents: ElectronWebContents, log: (what: string) => void = () => {}): void {
  const reload = (why: string) => {
    log(why);
    if (!contents.isDestroyed()) contents.reload();
  };
  contents.on('render-process-gone', (_event, details) => reload(`renderer gone: ${details.reason}`));
  contents.on('unresponsive', () => reload('renderer unresponsive'));
}

/** One kiosk process per machine: a second start quits at once. Returns whether this one runs. */
export function singleInstance(app: ElectronApp): boolean {
  if (app.requestSingleInstanceLock()) return true;
  app.quit();
  return false;
}

/**
 * An IPC message from the renderer, checked before it goes to the booth: only from the kiosk
 * window, only `{ kind: 'event', event }` with a valid UiEvent. Returns the message to relay, or null.
 */
export function checkIpcEvent(
  event: IpcMainEvent,
  raw: unknown,
  isKioskWindow: (sender: unknown) => boolean,
): BridgeClientMessage | null {
  if (!isKioskWindow(event.sender)) return null;
  // Exactly `{ kind: 'event', event }`: the same schema the WebSocket bridge checks.
  return parseClientMessage(raw);
}
