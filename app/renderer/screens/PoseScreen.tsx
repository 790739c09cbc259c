import { LiveView } from '../components/LiveView.tsx';
import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

/** The one hint to show: the coach's key, "hold still" once ready. */
export function hintText(snap: ScreenProps['snap'], tr: ScreenProps['tr']): string {
  if (snap.coach.hint) return tr.t(snap.coach.hint);
  return snap.coach.ready ? tr.t('pose.ready') : '';
}

export function checkName(tr: ScreenProps['tr'], id: string, fallback: string): string {
  return tr.has(`check.${id}`) ? tr.t(`check.${id}`) : fallback || tr.t('check.rule');
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
          ready={snap.coach.ready}
        />
        <div className="pose-side">
          <p className={snap.coach.ready ? 'hint ready' : 'hint'} aria-live="polite" aria-atomic="true">
            {hintText(snap, tr)}
          </p>
          {checks.length > 0 && (
            <ul className="checks" aria-label={tr.t('pose.checks')}>
              {checks.map(([id, pass]) => {
                const name = checkName(tr, id, id);
                return (
                  <li key={id} className={pass ? 'pass' : 'fail'}>
                    <span
                      role="img"
                      aria-label={tr.t(pass ? 'pose.checkOk' : 'pose.checkNotYet', { name })}
                      className="check-icon"
                    >
                      {pass ? '✓' : '✗'}
                    </span>
                    <span aria-hidden="true">{name}</span>
                  </li>
                );
              })}
            </ul>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => send({ type: 'CANCEL' })}>
              {tr.t('common.cancel')}
            </button>
            {snap.coach.manualCaptureOffered && (
              <button type="button" className="primary" onClick={() => send({ type: 'CAPTURE_NOW' })}>
                {tr.t('pose.takePhoto')}
              </button>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
