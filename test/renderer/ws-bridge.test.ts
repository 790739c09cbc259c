import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWsBridge } from '../../app/renderer/bridge/ws-bridge.ts';
import type { UiFrame, UiSnapshot } from '../../app/shell/bridge/kiosk-api.ts';

/** Just enough of the browser's WebSocket for the bridge. */
class FakeSocket {
  static readonly OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = 0;
  readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(): void {}
  close(): void {}
  receive(message: unknown): void {
    for (const l of this.listeners.get('message') ?? []) l({ data: JSON.stringify(message) });
  }
}

const snapshot = (screen: UiSnapshot['screen']) => ({ seq: 1, screen }) as UiSnapshot;
const frame: UiFrame = { seq: 1, width: 4, height: 3, jpeg: 'data:image/jpeg;base64,AA==', face: null };

afterEach(() => vi.unstubAllGlobals());

describe('createWsBridge', () => {
  it('replays the last frame to a new live view, but never after the session left the camera', () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    const bridge = createWsBridge('ws://127.0.0.1:1/bridge?key=k');
    const ws = FakeSocket.last!;
    ws.receive({ kind: 'snapshot', snapshot: snapshot('pose') });
    ws.receive({ kind: 'frame', frame });
    // pose → countdown: the countdown's live view starts with the present frame.
    ws.receive({ kind: 'snapshot', snapshot: snapshot('countdown') });
    const seen: UiFrame[] = [];
    bridge.onFrame((f) => seen.push(f))();
    expect(seen).toEqual([frame]);
    // The next customer's pose screen must not open on the previous customer's face.
    ws.receive({ kind: 'snapshot', snapshot: snapshot('review') });
    ws.receive({ kind: 'snapshot', snapshot: snapshot('attract') });
    ws.receive({ kind: 'snapshot', snapshot: snapshot('pose') });
    const later: UiFrame[] = [];
    bridge.onFrame((f) => later.push(f));
    expect(later).toEqual([]);
  });

  it('ignores messages that are JSON but not messages, and keeps working', () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    const bridge = createWsBridge('ws://127.0.0.1:1/bridge?key=k');
    const ws = FakeSocket.last!;
    expect(() => ws.receive(null)).not.toThrow();
    expect(() => ws.receive(42)).not.toThrow();
    ws.receive({ kind: 'snapshot', snapshot: snapshot('attract') });
    const seen: UiSnapshot[] = [];
    bridge.onSnapshot((s) => seen.push(s));
    expect(seen.map((s) => s.screen)).toEqual(['attract']);
  });
});
