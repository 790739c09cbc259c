// Service: close the booth to customers for maintenance, or open it again; restart it (the flow
// and every device, asked twice: a tap by mistake must not close the camera under a technician);
// the technicians' diagnostics certificate to pin; the technician's end of service (asked twice).
import { useState } from 'react';
import type { ScreenProps } from '../types.ts';
import { OperatorLayout, when } from './OperatorLayout.tsx';

export function OperatorServiceScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const maintenance = snap.operator?.maintenance ?? false;
  const [confirmRestart, setConfirmRestart] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const service = snap.operator?.service ?? null;
  const technician = snap.operator?.role === 'technician';
  const ending = service?.endOfService ?? null;
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
      {service?.diagnostics?.serving && (
        <p data-testid="diagnostics">
          {tr.t('operator.service.diagnostics', { addresses: service.diagnostics.addresses.join(', ') })}
          <br />
          <span className="staff-code" translate="no">
            SHA-256 {service.diagnostics.fingerprint}
          </span>
        </p>
      )}
      {ending ? (
        <p className="lead" role="status" data-testid="end-of-service">
          {ending.phase === 'closing' && ending.closesAt !== null
            ? tr.t('operator.service.ending', { date: when(tr.language, ending.closesAt) })
            : tr.t('operator.service.ended')}
        </p>
      ) : (
        technician && (
          <div className="operator-danger">
            <p>{tr.t('operator.service.endNote', { days: service?.noticeDays ?? 14 })}</p>
            {confirmEnd ? (
              <button type="button" className="huge" onClick={() => send({ type: 'OPERATOR_DECOMMISSION' })}>
                {tr.t('operator.service.endConfirm')}
              </button>
            ) : (
              <button type="button" className="huge" onClick={() => setConfirmEnd(true)}>
                {tr.t('operator.service.end')}
              </button>
            )}
          </div>
        )
      )}
    </OperatorLayout>
  );
}
