// Service: close the booth to customers for maintenance, or open it again.
import type { ScreenProps } from '../types.ts';
import { OperatorLayout } from './OperatorLayout.tsx';

export function OperatorServiceScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const maintenance = snap.operator?.maintenance ?? false;
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
        </>
      }
    >
      <p className="lead" role="status">
        {tr.t(maintenance ? 'operator.service.closed' : 'operator.service.open')}
      </p>
    </OperatorLayout>
  );
}
