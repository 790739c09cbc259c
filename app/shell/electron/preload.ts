/**
 * The Electron preload (bundled to dist/electron/preload.cjs; runs sandboxed, so it may require
 * only 'electron'). It exposes one object, `window.kiosk`, implementing KioskBridge.
 */
import type { ElectronPreloadApi } from './electron-api.ts';
import { createPreloadBridge } from './preload-bridge.ts';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { contextBridge, ipcRenderer } = require('electron') as ElectronPreloadApi;

contextBridge.exposeInMainWorld('kiosk', createPreloadBridge(ipcRenderer));
