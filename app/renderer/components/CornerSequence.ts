// Hidden entries by screen-corner taps: the demo's staff panel (clockwise) and the operator's PIN
// pad (anticlockwise), each also on a key. Corners: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left.
import { useEffect, useRef } from 'react';

/** Which screen corner a tap at (x, y) is in: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left, else -1. */
export function cornerOf(x: number, y: number): number {
  const size = Math.max(80, Math.min(window.innerWidth, window.innerHeight) * 0.12);
  const left = x < size;
  const right = x > window.innerWidth - size;
  const top = y < size;
  const bottom = y > window.innerHeight - size;
  return top && left ? 0 : top && right ? 1 : bottom && right ? 2 : bottom && left ? 3 : -1;
}

/** All four corners in `order` within 3 s, or the key: `onOpen`. A wrong corner starts again. */
export function useCornerSequence(
  order: readonly [number, number, number, number],
  enabled: boolean,
  onOpen: () => void,
  isKey: (e: KeyboardEvent) => boolean,
): void {
  const taps = useRef<number[]>([]);
  const started = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent): void => {
      if (!isKey(e)) return;
      e.preventDefault();
      onOpen();
    };
    const onPointer = (e: PointerEvent): void => {
      const corner = cornerOf(e.clientX, e.clientY);
      const now = performance.now();
      if (now - started.current > 3000) taps.current = [];
      if (corner === order[taps.current.length]) {
        if (taps.current.length === 0) started.current = now;
        taps.current.push(corner);
      } else if (corner === order[0]) {
        taps.current = [corner];
        started.current = now;
      } else taps.current = [];
      if (taps.current.length === 4) {
        taps.current = [];
        onOpen();
      }
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointer, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer, true);
    };
  }, [order, enabled, onOpen, isKey]);
}
