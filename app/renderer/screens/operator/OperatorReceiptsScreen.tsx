// Receipts: a customer's receipt code → reprint their sheets within retention, or delete their
// photos now (a data request). The code is the customer's only key: it is shown on this page only.
import { useState } from 'react';
import { CodeKeys, codeLength, shownCode } from '../../components/CodeKeys.tsx';
import type { ScreenProps } from '../types.ts';
import { OperatorLayout, when } from './OperatorLayout.tsx';

export function OperatorReceiptsScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const [typed, setTyped] = useState('');
  const [confirming, setConfirming] = useState(false);
  const receipt = snap.operator?.receipt ?? null;
  const found = receipt?.lookup.found ? receipt.lookup : null;
  const status = !receipt
    ? ''
    : receipt.done === 'deleted'
      ? tr.t('operator.receipts.deleted', { code: receipt.code })
      : found
        ? tr.t('operator.receipts.found', {
            code: receipt.code,
            sheets: found.sheets,
            taken: when(tr.language, found.createdAt),
            until: when(tr.language, found.expiresAt),
          })
        : tr.t('operator.receipts.notFound', { code: receipt.code });
  return (
    <OperatorLayout
      {...props}
      title={tr.t('operatorReceipts.title')}
      actions={
        <>
          {found && !confirming && (
            <button type="button" onClick={() => setConfirming(true)}>
              {tr.t('operator.receipts.delete')}
            </button>
          )}
          {found && confirming && (
            <button
              type="button"
              className="primary"
              onClick={() => {
                setConfirming(false);
                send({ type: 'OPERATOR_DELETE_PHOTOS' });
              }}
            >
              {tr.t('operator.receipts.deleteConfirm')}
            </button>
          )}
          {found && (
            <button type="button" className="primary" onClick={() => send({ type: 'OPERATOR_REPRINT' })}>
              {tr.t('operator.receipts.reprint')}
            </button>
          )}
        </>
      }
    >
      <p className="voucher-code" data-testid="receipt-code">
        {shownCode(typed) || '\u00a0'}
      </p>
      <p className="lead" role="status" aria-live="polite">
        {status}
        {receipt?.done === 'reprinted' ? ` ${tr.t('operator.receipts.reprinted')}` : ''}
      </p>
      <CodeKeys typed={typed} onChange={setTyped} deleteLabel={tr.t('operator.pad.delete')} />
      <div className="actions-inline">
        <button
          type="button"
          className="primary"
          disabled={typed.length !== codeLength}
          onClick={() => {
            setConfirming(false);
            send({ type: 'OPERATOR_FIND_RECEIPT', code: shownCode(typed) });
            setTyped('');
          }}
        >
          {tr.t('operator.receipts.find')}
        </button>
      </div>
    </OperatorLayout>
  );
}
