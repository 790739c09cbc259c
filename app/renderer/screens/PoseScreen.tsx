import { CheckItem, checkName } from '../components/CheckItem.tsx';
import { LiveView } from '../components/LiveView.tsx';
import { CancelButton, SendButton } from '../components/SendButton.tsx';
import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

/** The one hint to show: the coach's key, "hold still" once ready. */
export function hintText(snap: ScreenProps['snap'], tr: ScreenProps['tr']): string {
  if (snap.coach.hint) return tr.t(snap.coach.hint);
  return snap.coach.ready ? tr.t('pose.ready') : '';
}

export function PoseScreen({ snap, tr, send, bridge }: ScreenProps) {
  const checks = Object.entries(snap.coach.checks);
  return (
    <>
      <Title>{tr.t('pose.title')}</Title>
      <div className="pose">
        <LiveView
          bridge={bridge}
          label={tr.t('pose.liveView')}
          waiting={tr.t('pose.waitingCamera')}
          document={snap.choice.documentId ? snap.documentGeometry[snap.choice.documentId] : undefined}
          ready={snap.coach.ready}
        />
        <div className="pose-side">
          <p className={snap.coach.ready ? 'hint ready' : 'hint'} aria-live="polite" aria-atomic="true">
            {hintText(snap, tr)}
          </p>
          {checks.length > 0 && (
            // Scrollable on a short panel, so it takes the keyboard's focus (axe: scrollable-region-focusable).
            <ul className="checks" aria-label={tr.t('pose.checks')} tabIndex={0}>
              {checks.map(([id, pass]) => {
                const name = checkName(tr, id, id);
                return (
                  <CheckItem
                    key={id}
                    pass={pass}
                    label={tr.t(pass ? 'pose.checkOk' : 'pose.checkNotYet', { name })}
                  >
                    <span aria-hidden="true">{name}</span>
                  </CheckItem>
                );
              })}
            </ul>
          )}
          <div className="actions">
            <CancelButton tr={tr} send={send} />
            {snap.coach.manualCaptureOffered && (
              <SendButton send={send} event={{ type: 'CAPTURE_NOW' }} look="primary">
                {tr.t('pose.takePhoto')}
              </SendButton>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
