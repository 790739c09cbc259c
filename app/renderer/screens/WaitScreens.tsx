// The screens where the person waits: busy, producing, printing.
import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

export function busyKey(busy: string | null): string {
  return `busy.${busy ?? 'default'}`;
}

function Spinner() {
  return <div className="spinner" aria-hidden="true" />;
}

export function BusyScreen({ snap, tr }: ScreenProps) {
  const key = busyKey(snap.busy);
  return (
    <div className="center">
      <Spinner />
      <Title>{tr.has(key) ? tr.t(key) : tr.t('busy.default')}</Title>
      <p className="lead">{tr.t('busy.title')}</p>
    </div>
  );
}

export function ProducingScreen({ tr }: ScreenProps) {
  return (
    <div className="center">
      <Spinner />
      <Title>{tr.t('producing.title')}</Title>
      <p className="lead">{tr.t('producing.body')}</p>
    </div>
  );
}

export function PrintingScreen({ snap, tr }: ScreenProps) {
  const progress = snap.printing;
  const label = progress
    ? tr.t('printing.progress', { printed: progress.printed, total: progress.total })
    : '';
  return (
    <div className="center">
      {!progress && <Spinner />}
      <Title>{tr.t('printing.title')}</Title>
      {progress && (
        <>
          <div
            className="progress"
            role="progressbar"
            aria-label={tr.t('printing.title')}
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.printed}
            aria-valuetext={label}
          >
            <div
              className="progress-bar"
              style={{ width: `${progress.total ? (100 * progress.printed) / progress.total : 0}%` }}
            />
            {/* The sheet on its way moves, so the bar never stands still while the printer works
                (the printer reports a sheet only once it is out). */}
            {progress.printed < progress.total && (
              <div
                className="progress-current"
                style={{
                  left: `${(100 * progress.printed) / progress.total}%`,
                  width: `${100 / progress.total}%`,
                }}
              />
            )}
          </div>
          <p className="lead" aria-live="polite">
            {label}
          </p>
        </>
      )}
      <p>{tr.t('printing.body')}</p>
    </div>
  );
}
