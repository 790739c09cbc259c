// Paper and ribbon: prints left as the printer tells or as counted, and "media loaded" with a count.
import { useState } from 'react';
import type { ScreenProps } from '../types.ts';
import { NumberPad } from './NumberPad.tsx';
import { OperatorLayout } from './OperatorLayout.tsx';

export function OperatorPaperScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const [prints, setPrints] = useState('');
  const paper = snap.operator?.paper ?? null;
  const count = prints === '' ? 0 : Number(prints);
  return (
    <OperatorLayout
      {...props}
      title={tr.t('operatorPaper.title')}
      actions={
        <>
          <button
            type="button"
            className="primary"
            disabled={count < 1}
            onClick={() => {
              send({ type: 'OPERATOR_MEDIA_LOADED', prints: count });
              setPrints('');
            }}
          >
            {tr.t('operator.paper.confirm', { count })}
          </button>
        </>
      }
    >
      <div className="operator-columns">
        <div>
          {paper ? (
            <>
              <p className="operator-number" data-testid="prints-left">
                {paper.remaining === null ? tr.t('operator.paper.unknown') : String(paper.remaining)}
              </p>
              <p className="lead">
                {tr.t(paper.counted ? 'operator.paper.counted' : 'operator.paper.reported', {
                  media: paper.media,
                })}
              </p>
              <p className="notice" role="status">
                {tr.t(
                  tr.has(`operator.paper.status.${paper.status}`)
                    ? `operator.paper.status.${paper.status}`
                    : 'operator.paper.status.other',
                  {
                    status: paper.status,
                  },
                )}
              </p>
            </>
          ) : (
            <p>{tr.t('operator.paper.unavailable')}</p>
          )}
        </div>
        <div className="operator-entry">
          <h2>{tr.t('operator.paper.loaded')}</h2>
          <p className="operator-number">{prints || '\u00a0'}</p>
          <NumberPad
            value={prints}
            onChange={setPrints}
            maxLength={5}
            tr={tr}
            label={tr.t('operator.paper.loaded')}
          />
        </div>
      </div>
    </OperatorLayout>
  );
}
