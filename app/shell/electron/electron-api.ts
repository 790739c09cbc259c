/**
 * The small part of Electron's API the shell uses, written out here so the shell type-checks and
 * is unit-tested without the `electron` package (its binary is not installed on build boxes).
 * Shapes follow Electron's own typings; only what is used is listed.
 */

export interface ElectronEvent {
  preventDefault(): void;
}

export interface WebPreferences {
  preload?: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  webviewTag: boolean;
  devTools: boolean;
  spellcheck: boolean;
  navigateOnDragDrop: boolean;
}

export interface BrowserWindowOptions {
  fullscreen: boolean;
  kiosk: boolean;
  frame: boolean;
  autoHideMenuBar: boolean;
  backgroundColor: string;
  show: boolean;
  webPreferences: WebPreferences;
}

export interface HeadersReceivedDetails {
  url: string;
  responseHeaders?: Record<string, string[] | string>;
}

export interface ElectronSession {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: HeadersReceivedDetails,
        callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

export interface ElectronWebContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: ElectronEvent, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: ElectronEvent) => void): unknown;
  on(
    event: 'render-process-gone',
    listener: (event: ElectronEvent, details: { reason: string }) => void,
  ): unknown;
  on(event: 'unresponsive' | 'did-finish-load', listener: () => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  reload(): void;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface ElectronBrowserWindow {
  webContents: ElectronWebContents;
  loadFile(path: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  isDestroyed(): boolean;
}

export interface ElectronApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  whenReady(): Promise<void>;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'second-instance', listener: () => void): unknown;
  on(
    event: 'web-contents-created',
    listener: (event: ElectronEvent, contents: ElectronWebContents) => void,
  ): unknown;
}

export interface IpcMainEvent {
  sender: unknown;
}

/** What `require('electron')` gives the main process (the subset used). */
export interface ElectronMainApi {
  app: ElectronApp;
  BrowserWindow: new (options: BrowserWindowOptions) => ElectronBrowserWindow;
  ipcMain: { on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown };
  session: { defaultSession: ElectronSession };
  powerSaveBlocker: { start(type: 'prevent-display-sleep' | 'prevent-app-suspension'): number };
}

/** What a sandboxed preload gets from `require('electron')` (the subset used). */
export interface ElectronPreloadApi {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
    send(channel: string, ...args: unknown[]): void;
  };
}
