import type { BridgeClientMessage, KioskBridge, UiEvent, UiFrame, UiSnapshot } from '../bridge/kiosk-api.ts';
import { bridgeChannels } from '../bridge/kiosk-api.ts';
import type { ElectronPreloadApi } from './electron-api.ts';

/**
 * `window.kiosk` in the Electron shell, over IPC. It checks nothing itself (the main process
 * validates every event) and sends only `{ kind: 'event', event }`. It keeps the latest snapshot
 * so a listener that subscribes late gets it at once, as the contract says. The IPC event object
 * never reaches the page.
 */
export function createPreloadBridge(ipc: ElectronPreloadApi['ipcRenderer']): KioskBridge {
  let latest: UiSnapshot | null = null;
  const snapshotListeners = new Set<(snapshot: UiSnapshot) => void>();
  const frameListeners = new Set<(frame: UiFrame) => void>();
  ipc.on(bridgeChannels.snapshot, (_event, snapshot) => {
    latest = snapshot as UiSnapshot;
    for (const listener of snapshotListeners) listener(latest);
  });
  ipc.on(bridgeChannels.frame, (_event, frame) => {
    for (const listener of frameListeners) listener(frame as UiFrame);
  });
  return {
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      if (latest) listener(latest);
      return () => void snapshotListeners.delete(listener);
    },
    onFrame(listener) {
      frameListeners.add(listener);
      return () => void frameListeners.delete(listener);
    },
    send(event: UiEvent) {
      const message: BridgeClientMessage = { kind: 'event', event };
      ipc.send(bridgeChannels.event, message);
    },
  };
}
