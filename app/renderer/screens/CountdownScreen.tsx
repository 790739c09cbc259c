import { useEffect, useState } from 'react';
import { LiveView } from '../components/LiveView.tsx';
import { Title } from '../components/Title.tsx';
import { beep, shutter } from '../sound.ts';
import type { ScreenProps } from './types.ts';

/** 3-2-1 counted down locally from the snapshot's `countdownMs`: a beep each second, the shutter at zero. */
export function CountdownScreen({ snap, tr, bridge }: ScreenProps) {
  const total = snap.countdownMs;
  const [left, setLeft] = useState(() => Math.max(0, Math.ceil(total / 1000)));
  useEffect(() => {
    const start = performance.now();
    let shown = -1;
    const tick = (): void => {
      const seconds = Math.max(0, Math.ceil((total - (performance.now() - start)) / 1000));
      if (seconds === shown) return;
      shown = seconds;
      setLeft(seconds);
      if (seconds > 0) beep(seconds === 1 ? 1320 : 880);
      else shutter();
    };
    tick();
    const timer = setInterval(() => {
      tick();
      if (shown === 0) clearInterval(timer);
    }, 50);
    return () => clearInterval(timer);
  }, [total]);
  return (
    <>
      <Title>{tr.t('countdown.title')}</Title>
      <div className="countdown">
        <LiveView
          bridge={bridge}
          label={tr.t('pose.liveView')}
          waiting={tr.t('pose.waitingCamera')}
          document={snap.choice.documentId ? snap.documentGeometry[snap.choice.documentId] : undefined}
          ready
        >
          <span className="count" key={left} aria-live="assertive" aria-atomic="true">
            {left > 0 ? new Intl.NumberFormat(tr.language).format(left) : ''}
          </span>
        </LiveView>
        {left === 0 && <div className="flash" aria-hidden="true" />}
      </div>
    </>
  );
}
