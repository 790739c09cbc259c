/**
 * The Electron main process (bundled to dist/electron/main.cjs by build.ts and started by
 * `kiosk start --shell electron`, which passes the bridge's URL and secret in the environment).
 */
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { ElectronMainApi } from './electron-api.ts';
import { runElectronMain, takeShellEnv } from './electron-main.ts';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const electron = require('electron') as ElectronMainApi;

runElectronMain(electron, {
  shell: takeShellEnv(process.env),
  env: process.env,
  preload: join(__dirname, 'preload.cjs'),
  connect: (url, origin) => new WebSocket(url, { origin, maxPayload: 8 * 1024 * 1024 }),
});
