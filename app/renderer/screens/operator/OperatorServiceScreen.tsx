// Service: close the booth to customers for maintenance, or open it again; restart it (the flow
// and every device, asked twice: a tap by mistake must not close the camera under a technician).
import { useState } from 'react';
import type { ScreenProps } from '../types.ts';
import { OperatorLayout } from './OperatorLayout.tsx';

export function OperatorServiceScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const maintenance = snap.operator?.maintenance ?? false;
  const [confirmRestart, setConfirmRestart] = useState(false);
  return (
    <OperatorLayout
      {...props}
      title={tr.t('operatorService.title')}
      actions={
        <>
          {maintenance ? (
            <button
              type="button"
              className="primary huge"
              onClick={() => send({ type: 'OPERATOR_IN_SERVICE' })}
            >
              {tr.t('operator.service.reopen')}
            </button>
          ) : (
            <button
              type="button"
              className="primary huge"
              onClick={() => send({ type: 'OPERATOR_OUT_OF_SERVICE' })}
            >
              {tr.t('operator.service.close')}
            </button>
          )}
          {confirmRestart ? (
            <button type="button" className="huge" onClick={() => send({ type: 'OPERATOR_RESTART' })}>
              {tr.t('operator.service.restartConfirm')}
            </button>
          ) : (
            <button type="button" className="huge" onClick={() => setConfirmRestart(true)}>
              {tr.t('operator.service.restart')}
            </button>
          )}
        </>
      }
    >
      <p className="lead" role="status">
        {tr.t(maintenance ? 'operator.service.closed' : 'operator.service.open')}
      </p>
      <p className="muted">{tr.t('operator.service.restartNote')}</p>
    </OperatorLayout>
  );
}
