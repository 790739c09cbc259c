// The browser shell's `window.kiosk`: a KioskBridge over a WebSocket to the main side.
// Electron's preload defines `window.kiosk` itself; then this does nothing.
import type {
  BridgeClientMessage,
  BridgeServerMessage,
  KioskBridge,
  UiEvent,
  UiFrame,
  UiSnapshot,
} from '../../shell/bridge/kiosk-api.ts';

declare global {
  interface Window {
    kiosk?: KioskBridge;
  }
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 8000;

/** `ws(s)://<host>/bridge?key=<key>` from the page's own address. */
export function bridgeUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const key = new URLSearchParams(location.search).get('key') ?? '';
  return `${scheme}://${location.host}/bridge?key=${encodeURIComponent(key)}`;
}

export function createWsBridge(url: string): KioskBridge {
  const snapshotListeners = new Set<(snapshot: UiSnapshot) => void>();
  const frameListeners = new Set<(frame: UiFrame) => void>();
  let latestSnapshot: UiSnapshot | null = null;
  let latestFrame: UiFrame | null = null;
  let socket: WebSocket | null = null;
  let backoff = MIN_BACKOFF_MS;

  const connect = (): void => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      backoff = MIN_BACKOFF_MS;
    });
    ws.addEventListener('message', (message: MessageEvent) => {
      if (typeof message.data !== 'string') return;
      let parsed: BridgeServerMessage;
      try {
        parsed = JSON.parse(message.data) as BridgeServerMessage;
      } catch {
        return;
      }
      // Valid JSON that is not a message (null, a number) is ignored like invalid JSON.
      if (typeof parsed !== 'object' || parsed === null) return;
      if (parsed.kind === 'snapshot') {
        latestSnapshot = parsed.snapshot;
        // The last frame is someone's face: replayed only within the live view it came from,
        // never to the next customer's pose screen.
        if (parsed.snapshot.screen !== 'pose' && parsed.snapshot.screen !== 'countdown') latestFrame = null;
        for (const listener of snapshotListeners) listener(parsed.snapshot);
      } else if (parsed.kind === 'frame') {
        latestFrame = parsed.frame;
        for (const listener of frameListeners) listener(parsed.frame);
      }
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      const wait = backoff;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      setTimeout(connect, wait);
    });
    ws.addEventListener('error', () => ws.close());
  };
  connect();

  return {
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      if (latestSnapshot) listener(latestSnapshot);
      return () => snapshotListeners.delete(listener);
    },
    onFrame(listener) {
      frameListeners.add(listener);
      if (latestFrame) listener(latestFrame);
      return () => frameListeners.delete(listener);
    },
    send(event: UiEvent) {
      // A touch made while the line is down is dropped: replaying it later could act on a newer screen.
      if (socket?.readyState !== WebSocket.OPEN) return;
      const message: BridgeClientMessage = { kind: 'event', event };
      socket.send(JSON.stringify(message));
    },
  };
}

/** `window.kiosk`, creating the WebSocket bridge when no shell provided one. */
export function installBridge(): KioskBridge {
  if (!window.kiosk) window.kiosk = createWsBridge(bridgeUrl(window.location));
  return window.kiosk;
}
