import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  checkIpcEvent,
  electronCsp,
  hardenContents,
  hardenSession,
  isRendererFile,
  keepAlive,
  singleInstance,
  windowOptions,
} from '../../app/shell/electron/harden-window.ts';
import { runElectronMain, takeShellEnv, type BridgeSocket } from '../../app/shell/electron/electron-main.ts';
import { createPreloadBridge } from '../../app/shell/electron/preload-bridge.ts';
import { electronBinary, electronEnv } from '../../app/shell/electron/launcher.ts';
import type {
  BrowserWindowOptions,
  ElectronMainApi,
  ElectronSession,
  ElectronWebContents,
} from '../../app/shell/electron/electron-api.ts';
import type { UiSnapshot } from '../../app/shell/bridge/kiosk-api.ts';

const rendererDir = '/opt/kiosk/dist/renderer';

type Listener = (...args: unknown[]) => unknown;

/** A fake WebContents that records its handlers and lets the test fire them. */
function fakeContents() {
  const handlers = new Map<string, Listener[]>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    sent: [] as [string, unknown][],
    reloads: 0,
    on(event: string, listener: Listener) {
      handlers.set(event, [...(handlers.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: (d: { url: string }) => { action: string }) {
      openHandler = handler;
    },
    reload() {
      contents.reloads++;
    },
    send(channel: string, payload: unknown) {
      contents.sent.push([channel, payload]);
    },
    isDestroyed: () => false,
    fire(event: string, ...args: unknown[]) {
      for (const h of handlers.get(event) ?? []) h(...args);
    },
    /** Fires a navigation-like event; returns whether it was prevented. */
    prevented(event: string, url?: string) {
      let prevented = false;
      contents.fire(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    },
    openWindow: (url: string) => openHandler?.({ url }),
  };
  return contents;
}

function fakeSession() {
  let headers: Listener | undefined;
  let request: Listener | undefined;
  let check: Listener | undefined;
  const session: ElectronSession = {
    webRequest: { onHeadersReceived: (l) => void (headers = l as Listener) },
    setPermissionRequestHandler: (h) => void (request = h as Listener),
    setPermissionCheckHandler: (h) => void (check = h as Listener),
  };
  return {
    session,
    headers: (responseHeaders: Record<string, string[]>) =>
      new Promise<Record<string, unknown>>((resolve) =>
        headers!({ url: 'file:///x', responseHeaders }, (r: { responseHeaders: Record<string, unknown> }) =>
          resolve(r.responseHeaders),
        ),
      ),
    request: (permission: string) =>
      new Promise<boolean>((resolve) => request!({}, permission, (granted: boolean) => resolve(granted))),
    check: (permission: string) => check!({}, permission) as boolean,
  };
}

describe('Electron window hardening', () => {
  it('a full-screen kiosk window with an isolated, sandboxed renderer and no Node', () => {
    const options = windowOptions({ preload: '/p/preload.cjs', env: {} });
    expect(options).toMatchObject({ fullscreen: true, kiosk: true });
    expect(options.webPreferences).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(windowOptions({ preload: 'p', env: { KIOSK_DEV: '1' } }).webPreferences.devTools).toBe(true);
    expect(windowOptions({ preload: 'p', env: { KIOSK_DEV: 'true' } }).webPreferences.devTools).toBe(false);
  });

  it('sets the CSP on every response (replacing any other) and refuses every permission', async () => {
    const fake = fakeSession();
    hardenSession(fake.session);
    const headers = await fake.headers({ 'content-security-policy': ['default-src *'], 'x-other': ['1'] });
    expect(headers).toEqual({ 'x-other': ['1'], 'Content-Security-Policy': [electronCsp] });
    expect(electronCsp).toContain("default-src 'self'");
    expect(electronCsp).toContain("connect-src 'none'");
    expect(electronCsp).toContain("img-src 'self' data:");
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read'])
      expect(await fake.request(permission)).toBe(false);
    expect(fake.check('media')).toBe(false);
  });

  it('prevents navigation and redirects away from the renderer files, denies new windows and webviews', () => {
    const contents = fakeContents();
    hardenContents(contents as unknown as ElectronWebContents, rendererDir);
    const inside = pathToFileURL(join(rendererDir, 'index.html')).href;
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(contents.prevented(event, inside)).toBe(false);
      expect(contents.prevented(event, 'https://evil.example/')).toBe(true);
      expect(contents.prevented(event, 'http://127.0.0.1:8080/')).toBe(true);
      expect(contents.prevented(event, 'file:///etc/passwd')).toBe(true);
      expect(contents.prevented(event, pathToFileURL(rendererDir + '-other/index.html').href)).toBe(true);
      expect(contents.prevented(event, 'file:///opt/kiosk/dist/renderer/../../secret')).toBe(true);
      expect(contents.prevented(event, 'javascript:alert(1)')).toBe(true);
    }
    expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(contents.openWindow(inside)).toEqual({ action: 'deny' });
    expect(contents.prevented('will-attach-webview')).toBe(true);
  });

  it('isRendererFile accepts only files inside the build', () => {
    expect(isRendererFile(pathToFileURL(join(rendererDir, 'assets/a.js')).href, rendererDir)).toBe(true);
    expect(isRendererFile('file://evil.host/opt/kiosk/dist/renderer/index.html', rendererDir)).toBe(false);
    expect(isRendererFile('not a url', rendererDir)).toBe(false);
  });

  it('reloads a renderer that crashed or hung', () => {
    const contents = fakeContents();
    keepAlive(contents as unknown as ElectronWebContents);
    contents.fire('render-process-gone', {}, { reason: 'crashed' });
    expect(contents.reloads).toBe(1);
    contents.fire('unresponsive');
    expect(contents.reloads).toBe(2);
  });

  it('quits when another instance holds the lock', () => {
    const app = { requestSingleInstanceLock: () => false, quit: vi.fn() };
    expect(singleInstance(app as never)).toBe(false);
    expect(app.quit).toHaveBeenCalled();
    const other = { requestSingleInstanceLock: () => true, quit: vi.fn() };
    expect(singleInstance(other as never)).toBe(true);
    expect(other.quit).not.toHaveBeenCalled();
  });

  it('relays only valid events from the kiosk window', () => {
    const win = {};
    const isWin = (s: unknown) => s === win;
    expect(checkIpcEvent({ sender: win }, { kind: 'event', event: { type: 'TOUCH' } }, isWin)).toEqual({
      kind: 'event',
      event: { type: 'TOUCH' },
    });
    expect(checkIpcEvent({ sender: {} }, { kind: 'event', event: { type: 'TOUCH' } }, isWin)).toBeNull();
    expect(checkIpcEvent({ sender: win }, { kind: 'event', event: { type: 'CREDIT' } }, isWin)).toBeNull();
    expect(
      checkIpcEvent({ sender: win }, { kind: 'event', event: { type: 'TOUCH' }, x: 1 }, isWin),
    ).toBeNull();
    expect(checkIpcEvent({ sender: win }, { type: 'TOUCH' }, isWin)).toBeNull();
    expect(checkIpcEvent({ sender: win }, null, isWin)).toBeNull();
  });
});

/** A fake Electron main API that records what the shell did. */
function fakeElectron(lock = true, loadError: Error | null = null) {
  const appHandlers = new Map<string, Listener>();
  const ipc = new Map<string, Listener>();
  const contents = fakeContents();
  const session = fakeSession();
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const record = {
    quit: 0,
    windows: [] as BrowserWindowOptions[],
    loaded: [] as string[],
    blockers: [] as string[],
    shown: 0,
  };
  const api = {
    app: {
      requestSingleInstanceLock: () => lock,
      quit: () => void record.quit++,
      whenReady: () => whenReady,
      on: (event: string, l: Listener) => void appHandlers.set(event, l),
    },
    BrowserWindow: class {
      webContents = contents;
      constructor(options: BrowserWindowOptions) {
        record.windows.push(options);
      }
      async loadFile(path: string) {
        record.loaded.push(path);
        if (loadError) throw loadError;
      }
      once(_event: string, l: () => void) {
        l();
      }
      show() {
        record.shown++;
      }
      isDestroyed() {
        return false;
      }
    },
    ipcMain: { on: (channel: string, l: Listener) => void ipc.set(channel, l) },
    session: { defaultSession: session.session },
    powerSaveBlocker: { start: (type: string) => (record.blockers.push(type), 1) },
  };
  return { api: api as unknown as ElectronMainApi, record, contents, session, ipc, appHandlers, ready };
}

function fakeSocket() {
  const handlers = new Map<string, Listener>();
  const socket = {
    readyState: 1,
    sent: [] as string[],
    on(event: string, l: Listener) {
      handlers.set(event, l);
      return socket;
    },
    send: (data: string) => void socket.sent.push(data),
    close: () => {},
    emit: (event: string, ...args: unknown[]) => handlers.get(event)?.(...args),
  };
  return socket;
}

const shellEnv = {
  bridgeUrl: 'ws://127.0.0.1:4000/bridge',
  key: 'sekret',
  origin: 'http://127.0.0.1:4000',
  rendererDir,
};

describe('the Electron main process', () => {
  it('quits at once when another kiosk window runs', () => {
    const fake = fakeElectron(false);
    const connect = vi.fn();
    runElectronMain(fake.api, { shell: shellEnv, env: {}, preload: '/p.cjs', connect, log: () => {} });
    expect(fake.record.quit).toBe(1);
    expect(connect).not.toHaveBeenCalled();
  });

  it('logs a window that fails to load instead of leaving the rejection unhandled', async () => {
    const fake = fakeElectron(true, new Error('ERR_FILE_NOT_FOUND (-6) loading index.html'));
    const lines: string[] = [];
    runElectronMain(fake.api, {
      shell: shellEnv,
      env: {},
      preload: '/p.cjs',
      connect: () => fakeSocket() as unknown as BridgeSocket,
      log: (line) => lines.push(line),
    });
    fake.ready();
    await new Promise((r) => setTimeout(r, 0));
    expect(lines).toEqual(['window failed to load: ERR_FILE_NOT_FOUND (-6) loading index.html']);
  });

  it('opens one hardened window, keeps the display awake, and relays bridge ⇄ IPC', async () => {
    const fake = fakeElectron();
    const socket = fakeSocket();
    const connected: [string, string][] = [];
    runElectronMain(fake.api, {
      shell: shellEnv,
      env: {},
      preload: '/p/preload.cjs',
      connect: (url, origin) => {
        connected.push([url, origin]);
        return socket as unknown as BridgeSocket;
      },
      log: () => {},
    });
    expect(connected).toEqual([['ws://127.0.0.1:4000/bridge?key=sekret', 'http://127.0.0.1:4000']]);
    fake.ready();
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.record.windows).toHaveLength(1);
    expect(fake.record.windows[0]!.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(fake.record.windows[0]!.webPreferences.preload).toBe('/p/preload.cjs');
    expect(fake.record.loaded).toEqual([join(rendererDir, 'index.html')]);
    expect(fake.record.blockers).toEqual(['prevent-display-sleep']);
    expect(await fake.session.request('media')).toBe(false);
    expect(fake.contents.prevented('will-navigate', 'https://evil.example')).toBe(true);
    expect(fake.appHandlers.has('web-contents-created')).toBe(true);
    fake.appHandlers.get('window-all-closed')!();
    expect(fake.record.quit).toBe(1);

    const snapshot = { seq: 1, screen: 'attract' } as UiSnapshot;
    socket.emit('message', JSON.stringify({ kind: 'snapshot', snapshot }));
    socket.emit('message', JSON.stringify({ kind: 'frame', frame: { seq: 1 } }));
    socket.emit('message', 'garbage');
    expect(fake.contents.sent).toEqual([
      ['kiosk:snapshot', snapshot],
      ['kiosk:frame', { seq: 1 }],
    ]);
    // A reloaded page gets the latest snapshot again.
    fake.contents.fire('did-finish-load');
    expect(fake.contents.sent.at(-1)).toEqual(['kiosk:snapshot', snapshot]);

    const onEvent = fake.ipc.get('kiosk:event')!;
    onEvent({ sender: fake.contents }, { kind: 'event', event: { type: 'TOUCH' } });
    onEvent({ sender: fake.contents }, { kind: 'event', event: { type: 'CREDIT', amount: 1 } });
    onEvent({ sender: {} }, { kind: 'event', event: { type: 'CANCEL' } });
    expect(socket.sent).toEqual([JSON.stringify({ kind: 'event', event: { type: 'TOUCH' } })]);
  });

  it('takes its settings from the environment and removes the secret', () => {
    const env: NodeJS.ProcessEnv = electronEnv({ PATH: '/bin', ELECTRON_RUN_AS_NODE: '1' }, shellEnv);
    expect(env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(takeShellEnv(env)).toEqual(shellEnv);
    expect(env.KIOSK_BRIDGE_KEY).toBeUndefined();
    expect(() => takeShellEnv({})).toThrow(/KIOSK_BRIDGE_URL/);
  });
});

describe('the preload bridge', () => {
  it('implements KioskBridge over IPC: latest snapshot at once, frames, events as { kind: "event" }', () => {
    const on = new Map<string, Listener>();
    const sent: [string, unknown][] = [];
    const bridge = createPreloadBridge({
      on: (channel, l) => void on.set(channel, l as Listener),
      send: (channel, payload) => void sent.push([channel, payload]),
    });
    const seen: unknown[] = [];
    const off = bridge.onSnapshot((s) => seen.push(s));
    const ipcEvent = { sender: 'secret ipc internals' };
    on.get('kiosk:snapshot')!(ipcEvent, { seq: 1 });
    expect(seen).toEqual([{ seq: 1 }]);
    const late: unknown[] = [];
    bridge.onSnapshot((s) => late.push(s));
    expect(late).toEqual([{ seq: 1 }]);
    off();
    on.get('kiosk:snapshot')!(ipcEvent, { seq: 2 });
    expect(seen).toEqual([{ seq: 1 }]);
    const frames: unknown[] = [];
    bridge.onFrame((f) => frames.push(f));
    on.get('kiosk:frame')!(ipcEvent, { seq: 9 });
    expect(frames).toEqual([{ seq: 9 }]);
    bridge.send({ type: 'TOUCH' });
    expect(sent).toEqual([['kiosk:event', { kind: 'event', event: { type: 'TOUCH' } }]]);
  });
});

describe('finding the Electron binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'electron-pkg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('follows the package path.txt to its dist/, and is null when the binary is missing', () => {
    const pkg = join(dir, 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    const resolve = () => join(pkg, 'package.json');
    expect(electronBinary({}, resolve)).toBeNull();
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(electronBinary({}, resolve)).toBeNull();
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(electronBinary({}, resolve)).toBe(join(pkg, 'dist', 'electron'));
    expect(
      electronBinary({}, () => {
        throw new Error('Cannot find module');
      }),
    ).toBeNull();
  });
});
